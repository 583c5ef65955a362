import type { LookupAddress } from 'node:dns';
import { assertAllowedBaseUrl, guardedLookup, isForbiddenAddress, isOsteocomHost } from '../../../server/src/services/osteocom-client/transport';

describe('host guard', () => {
  it.each(['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.1.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::1', '::ffff:7f00:1', '::ffff:8.8.8.8', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'ff02::1', '64:ff9b::a9fe:a9fe', 'not-an-ip'])(
    'forbids %s',
    (address) => expect(isForbiddenAddress(address)).toBe(true)
  );

  it.each(['93.184.215.14', '8.8.8.8', '172.15.255.255', '172.32.0.1', '100.63.255.255', '2606:4700::1111'])('allows %s', (address) =>
    expect(isForbiddenAddress(address)).toBe(false)
  );

  it("knows Osteocom's own hosts by origin", () => {
    expect(isOsteocomHost('https://test.osteocom.me/sv6')).toBe(true);
    expect(isOsteocomHost('https://www.osteocom.me/other')).toBe(true);
    expect(isOsteocomHost('https://test.osteocom.me.evil.example/sv6')).toBe(false);
    expect(isOsteocomHost('http://test.osteocom.me/sv6')).toBe(false);
  });

  it('checks every address a name resolves to, not only the first', async () => {
    const lookup = async (): Promise<LookupAddress[]> => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.8', family: 4 },
    ];
    await expect(assertAllowedBaseUrl('https://rebind.example/sv6', { lookup })).rejects.toMatchObject({ code: 'BASE_URL_NOT_ALLOWED', status: 400 });
    await expect(assertAllowedBaseUrl('https://rebind.example/sv6', { lookup, status: 503 })).rejects.toMatchObject({ status: 503 });
    await expect(assertAllowedBaseUrl('https://ok.example/sv6', { lookup: async () => [{ address: '93.184.215.14', family: 4 }] })).resolves.toBeUndefined();
  });

  it('refuses the connection itself when the name resolves inside (DNS rebinding after the checks)', async () => {
    const result = await new Promise<{ code?: string; address: unknown }>((resolve) =>
      guardedLookup('localhost', { all: true }, (error, address) => resolve({ code: error?.code, address }))
    );
    expect(result).toEqual({ code: 'BASE_URL_NOT_ALLOWED', address: [] });
  });
});
