import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import config, { defaultConfig } from '../../../server/src/config';
import { parseKeyList } from '../../../server/src/config/encryption-keys';
import cryptoService from '../../../server/src/services/keys/crypto';

const strapiWith = (pluginKey?: string | string[], appKey?: string) =>
  ({
    plugin: () => ({ config: () => pluginKey }),
    config: { get: () => appKey },
  }) as never;

const OLD = 'old-key-old-key-old-key';
const NEW = 'new-key-new-key-new-key';
const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();
/** The documented id of a key without an explicit one: 8 hex digits of its HMAC under a fixed label. */
const idOf = (key: string | Buffer) => createHmac('sha256', 'strapi-plugin-osteocom key id').update(key).digest('hex').slice(0, 8);
/** The id such a key had before: 8 hex digits of SHA-256 of the key, i.e. of a passphrase's AES key. */
const oldIdOf = (key: string | Buffer) => sha256(key).toString('hex').slice(0, 8);

/** `v2:<old-style id>:...` as a server before labelled ids wrote it: AES key SHA-256 of the key, the header as AAD. */
const oldStyleCiphertext = (configured: string, plaintext: string) => {
  const header = `v2:${oldIdOf(configured)}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sha256(configured), iv);
  cipher.setAAD(Buffer.from(header));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [header, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join(':');
};

/** A ciphertext as version 0.1.0 wrote it: `v1:iv:tag:body`, AES-256-GCM with SHA-256 of the configured value. */
const legacyCiphertext = (configured: string, plaintext: string) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(configured).digest(), iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join(':');
};

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    const { code, details, message } = error as { code: string; details: { keyId?: string | null }; message: string };
    return { code, keyId: details.keyId, message };
  }
  throw new Error('did not throw');
};

describe('access key encryption', () => {
  it('round-trips with AES-256-GCM, names the key in the ciphertext and never stores the plaintext', () => {
    const crypto = cryptoService({ strapi: strapiWith(OLD) });
    const stored = crypto.encrypt('secret-access-key');
    expect(stored).toMatch(new RegExp(`^v2:${idOf(OLD)}:[\\w-]+:[\\w-]+:[\\w-]+$`));
    expect(stored).not.toContain('secret-access-key');
    expect(stored).not.toContain(OLD);
    expect(crypto.encrypt('secret-access-key')).not.toBe(stored);
    expect(crypto.decrypt(stored)).toBe('secret-access-key');
  });

  it('writes with the newest key and reads each ciphertext with the key it names', () => {
    const before = cryptoService({ strapi: strapiWith(OLD) }).encrypt('a');
    const both = cryptoService({ strapi: strapiWith(`2026:${NEW},${OLD}`) });
    const after = both.encrypt('b');
    expect(after.startsWith('v2:2026:')).toBe(true);
    expect(both.decrypt(before)).toBe('a');
    expect(both.decrypt(after)).toBe('b');
    expect([both.keyState(after), both.keyState(before)]).toEqual(['newest', 'older']);
    expect(both.keys()).toEqual([
      { id: '2026', source: 'config', newest: true },
      { id: idOf(OLD), source: 'config', newest: false },
    ]);
    // An array in config/plugins.ts is the same list.
    expect(cryptoService({ strapi: strapiWith([`2026:${NEW}`, OLD]) }).decrypt(after)).toBe('b');
  });

  it('reads v1 ciphertext with whichever configured key opens it, and counts it as not on the newest key', () => {
    const crypto = cryptoService({ strapi: strapiWith(`${NEW},${OLD}`) });
    const legacy = legacyCiphertext(OLD, 'from 0.1.0');
    expect(crypto.decrypt(legacy)).toBe('from 0.1.0');
    expect(crypto.keyState(legacy)).toBe('legacy');
  });

  it('reads v1 written with a single key that now parses as `id:key` (a "base64:..." key, say)', () => {
    const configured = 'base64:c29tZSByYW5kb20ga2V5IGJ5dGVz';
    const legacy = legacyCiphertext(configured, 'x');
    const crypto = cryptoService({ strapi: strapiWith(configured) });
    expect(crypto.newestKeyId()).toBe('base64');
    expect(crypto.decrypt(legacy)).toBe('x');
  });

  it('names the key that is missing, or that cannot decrypt, never returning null', () => {
    const stored = cryptoService({ strapi: strapiWith(OLD) }).encrypt('x');
    expect(codeOf(() => cryptoService({ strapi: strapiWith(NEW) }).decrypt(stored))).toEqual({
      code: 'ENCRYPTION_KEY_MISSING',
      keyId: idOf(OLD),
      message: expect.stringContaining(`"${idOf(OLD)}"`),
    });
    // Another key listed under the same id.
    const renamed = cryptoService({ strapi: strapiWith(`k1:${NEW}`) });
    const underK1 = cryptoService({ strapi: strapiWith(`k1:${OLD}`) }).encrypt('x');
    expect(codeOf(() => renamed.decrypt(underK1))).toMatchObject({ code: 'DECRYPTION_FAILED', keyId: 'k1', message: expect.stringContaining('"k1"') });

    const [v, id, iv, tag, body] = stored.split(':');
    const crypto = cryptoService({ strapi: strapiWith(`${NEW},${OLD}`) });
    expect(codeOf(() => crypto.decrypt([v, id, iv, tag, 'zz' + body].join(':')))).toMatchObject({ code: 'DECRYPTION_FAILED', keyId: idOf(OLD) });
    // The header is authenticated: naming another listed key does not open it either.
    expect(codeOf(() => crypto.decrypt([v, idOf(NEW), iv, tag, body].join(':')))).toMatchObject({ code: 'DECRYPTION_FAILED', keyId: idOf(NEW) });
    expect(codeOf(() => crypto.decrypt(legacyCiphertext('some-other-key-entirely', 'x')))).toMatchObject({ code: 'DECRYPTION_FAILED', keyId: null });
    expect(codeOf(() => crypto.decrypt('plaintext'))).toMatchObject({ code: 'ENCRYPTION_ERROR', message: expect.stringMatching(/format/) });
  });

  it('falls back to a key derived from the app encryption key, which stays readable once a key is configured', () => {
    const fromApp = cryptoService({ strapi: strapiWith(undefined, 'app-key') });
    const stored = fromApp.encrypt('x');
    expect(fromApp.decrypt(stored)).toBe('x');
    expect(fromApp.newestKeyId()).toMatch(/^app-[0-9a-f]{8}$/);
    const configured = cryptoService({ strapi: strapiWith(NEW, 'app-key') });
    expect(configured.newestKeyId()).toBe(idOf(NEW));
    expect(configured.keyState(stored)).toBe('older');
    expect(configured.decrypt(stored)).toBe('x');
  });

  it("names a key by an id that reveals no bit of the AES key (nor of SHA-256 of the key)", () => {
    for (const material of [OLD, NEW, 'correct horse battery staple', `${randomBytes(16).toString('hex')}`]) {
      const crypto = cryptoService({ strapi: strapiWith(material) });
      const id = crypto.newestKeyId();
      expect(id).toMatch(/^[0-9a-f]{8}$/);
      // For a key listed without an id, the AES key is SHA-256 of it.
      expect(sha256(material).toString('hex').startsWith(id)).toBe(false);
      expect(sha256(material).toString('hex')).not.toContain(id);
    }
    const appSecret = 'app-encryption-key';
    const aesKey = Buffer.from(hkdfSync('sha256', appSecret, 'strapi-plugin-osteocom', 'access-keys', 32));
    const appId = cryptoService({ strapi: strapiWith(undefined, appSecret) }).newestKeyId().replace(/^app-/, '');
    expect(aesKey.toString('hex')).not.toContain(appId);
    expect(sha256(aesKey).toString('hex').startsWith(appId)).toBe(false);
  });

  it('reads a ciphertext naming the old-style id as written, counts it as not on the newest key, and never lists that id', () => {
    const stored = oldStyleCiphertext(OLD, 'before labelled ids');
    const crypto = cryptoService({ strapi: strapiWith(OLD) });
    expect(crypto.decrypt(stored)).toBe('before labelled ids');
    expect(crypto.keyState(stored)).toBe('older');
    expect(crypto.keyState(crypto.encrypt('x'))).toBe('newest');
    expect(crypto.keys()).toEqual([{ id: idOf(OLD), source: 'config', newest: true }]);
    expect(crypto.prefixesOf(idOf(OLD))).toEqual([`v2:${idOf(OLD)}:`, `v2:${oldIdOf(OLD)}:`]);
    // A failure names the key by its current id.
    const [v, id, iv, tag, body] = stored.split(':');
    expect(codeOf(() => crypto.decrypt([v, id, iv, tag, `zz${body}`].join(':')))).toMatchObject({ code: 'DECRYPTION_FAILED', keyId: idOf(OLD) });
    // Explicit ids are unchanged, and have no old-style alias.
    expect(cryptoService({ strapi: strapiWith(`k1:${OLD}`) }).prefixesOf('k1')).toEqual(['v2:k1:']);
  });

  it('refuses to start without any key', () => {
    expect(() => cryptoService({ strapi: strapiWith(undefined, undefined) }).assertKeyAvailable()).toThrow(/OSTEOCOM_ENCRYPTION_KEY/);
  });
});

describe('the list of encryption keys', () => {
  it('parses `id:key` and bare keys, newest first, with stable ids that are not the key', () => {
    const { entries, problems } = parseKeyList(` 2026-01:${NEW} , ${OLD}`);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { id: '2026-01', material: NEW },
      { id: idOf(OLD), material: OLD, legacyId: oldIdOf(OLD) },
    ]);
  });

  it('names each problem: a short key, an id listed twice (without case)', () => {
    expect(parseKeyList(`a:short,${OLD}`).problems).toEqual(['key 1 of 2 ("a") must be at least 16 characters']);
    expect(parseKeyList(`${OLD},`).problems).toEqual(['key 2 of 2 must be at least 16 characters']);
    expect(parseKeyList(`K1:${NEW},k1:${OLD}`).problems).toEqual(['key id "k1" is listed twice (ids are compared without case)']);
    expect(parseKeyList([OLD, OLD]).problems).toEqual([`key id "${idOf(OLD)}" is listed twice (ids are compared without case)`]);
  });

  it('is checked with the rest of the plugin config', () => {
    const env = (() => undefined) as never;
    expect(() => config.validator({ ...defaultConfig({ env }), encryptionKey: `${NEW},${OLD}` })).not.toThrow();
    expect(() => config.validator({ ...defaultConfig({ env }), encryptionKey: [NEW, `k:${OLD}`] })).not.toThrow();
    expect(() => config.validator({ ...defaultConfig({ env }), encryptionKey: `${NEW},${NEW}` })).toThrow(/`encryptionKey`: key id ".*" is listed twice/);
    expect(() => config.validator({ ...defaultConfig({ env }), encryptionKey: 'too-short' })).toThrow(/`encryptionKey`: key 1 of 1 must be at least 16 characters/);
  });
});
