import cryptoService from '../../../server/src/services/crypto';

const strapiWith = (pluginKey?: string, appKey?: string) =>
  ({
    plugin: () => ({ config: () => pluginKey }),
    config: { get: () => appKey },
  }) as never;

describe('access key encryption', () => {
  it('round-trips with AES-256-GCM and never stores the plaintext', () => {
    const crypto = cryptoService({ strapi: strapiWith('a-plugin-key-of-some-length') });
    const stored = crypto.encrypt('secret-access-key');
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain('secret-access-key');
    expect(crypto.encrypt('secret-access-key')).not.toBe(stored);
    expect(crypto.decrypt(stored)).toBe('secret-access-key');
  });

  it('falls back to a key derived from the app encryption key', () => {
    const crypto = cryptoService({ strapi: strapiWith(undefined, 'app-key') });
    expect(crypto.decrypt(crypto.encrypt('x'))).toBe('x');
  });

  it('fails clearly with a wrong key or tampered data, never returning null', () => {
    const stored = cryptoService({ strapi: strapiWith('key-one-key-one-key-one') }).encrypt('x');
    const other = cryptoService({ strapi: strapiWith('key-two-key-two-key-two') });
    expect(() => other.decrypt(stored)).toThrow(/encryption key/);
    const [v, iv, tag, body] = stored.split(':');
    const tampered = [v, iv, tag, Buffer.from('zz').toString('base64url') + body].join(':');
    expect(() => cryptoService({ strapi: strapiWith('key-one-key-one-key-one') }).decrypt(tampered)).toThrow();
    expect(() => other.decrypt('plaintext')).toThrow(/format/);
  });

  it('refuses to start without any key', () => {
    expect(() => cryptoService({ strapi: strapiWith(undefined, undefined) }).assertKeyAvailable()).toThrow(/OSTEOCOM_ENCRYPTION_KEY/);
  });
});
