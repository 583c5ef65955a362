import config, { defaultConfig } from '../../../server/src/config';

const env = ((key: string, fallback?: string) => ({ OSTEOCOM_CLIENT_ID: 'abc' } as Record<string, string>)[key] ?? fallback) as never;

describe('plugin config', () => {
  it('reads the documented variables into the defaults and accepts them', () => {
    const defaults = defaultConfig({ env });
    expect(defaults.clientId).toBe('abc');
    expect(defaults.environment).toBeUndefined();
    expect(() => config.validator(defaults)).not.toThrow();
  });

  it('names every bad key', () => {
    const bad = { ...defaultConfig({ env }), environment: 'staging', sync: { ...defaultConfig({ env }).sync, chunkSize: -1 }, surprise: true };
    expect(() => config.validator(bad)).toThrow(/`environment`.*`sync.chunkSize`|`sync.chunkSize`.*`environment`/);
    expect(() => config.validator(bad)).toThrow(/surprise/);
  });

  it('accepts a function as userIdField and rejects a number', () => {
    expect(() => config.validator({ ...defaultConfig({ env }), userIdField: (user: { email: string }) => user.email })).not.toThrow();
    expect(() => config.validator({ ...defaultConfig({ env }), userIdField: 3 })).toThrow(/userIdField/);
  });
});
