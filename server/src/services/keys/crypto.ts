import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { keyIdOf, legacyKeyIdOf, parseKeyList, type KeyListInput } from '../../config/encryption-keys';
import { OsteocomError } from '../../errors';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;

/**
 * Ciphertexts: `v2:<keyId>:<iv>:<tag>:<body>` (base64url parts; `v2:<keyId>` is authenticated
 * data), and `v1:<iv>:<tag>:<body>` from before keys had ids, read with whichever key opens it.
 */
const CURRENT = 'v2';
const LEGACY = 'v1';

export type KeySource = 'config' | 'app';

interface RingKey {
  id: string;
  key: Buffer;
  source: KeySource;
  /** The id the same key had before ids were labelled: read, never shown or written. */
  legacyId?: string;
}

/** What a ciphertext's id names: a key, and whether under its old-style id (then it is to be moved). */
interface IdEntry {
  key: RingKey;
  legacy: boolean;
}

interface Keyring {
  /** Newest first: the first one encrypts. */
  keys: RingKey[];
  /** Ids (lower case) to keys: each key's id, and its old-style id where it has one. */
  byId: Map<string, IdEntry>;
  /** What may have encrypted a v1 ciphertext: every listed key, and the configured value as one key, as v1 used it. */
  legacy: Buffer[];
}

/** Where a ciphertext stands with the configured keys. */
export type KeyState = 'newest' | 'older' | 'legacy' | 'unlisted';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The key a stock Strapi app has without OSTEOCOM_ENCRYPTION_KEY, derived from admin.secrets.encryptionKey. */
const appKey = (secret: string): RingKey => {
  const key = Buffer.from(hkdfSync('sha256', secret, 'strapi-plugin-osteocom', 'access-keys', 32));
  return { id: `app-${keyIdOf(key)}`, key, source: 'app', legacyId: `app-${legacyKeyIdOf(key)}` };
};

/**
 * The configured keys, newest first. The app-derived key comes last whenever the app has one: it
 * encrypts only when no key is configured, and stays readable after one is, so rows written
 * before can be moved to the configured key.
 */
const buildKeyring = (strapi: Core.Strapi): Keyring => {
  const configured = strapi.plugin('osteocom').config<KeyListInput | undefined>('encryptionKey');
  const appSecret = strapi.config.get<string | undefined>('admin.secrets.encryptionKey');
  const keys: RingKey[] = configured
    ? parseKeyList(configured).entries.map(({ id, material, legacyId }) => ({ id, key: sha256(material), source: 'config' as const, legacyId }))
    : [];
  const fromApp = appSecret ? appKey(appSecret) : undefined;
  if (fromApp && !keys.some((each) => each.id.toLowerCase() === fromApp.id)) keys.push(fromApp);
  if (!keys.length) {
    throw new OsteocomError(
      'ENCRYPTION_ERROR',
      'No encryption key: set OSTEOCOM_ENCRYPTION_KEY (or `encryptionKey` in the osteocom plugin config), or admin.secrets.encryptionKey in config/admin.ts.'
    );
  }
  const legacy = [...keys.map((each) => each.key), ...(typeof configured === 'string' ? [sha256(configured)] : [])];
  return { keys, byId: idsOf(keys), legacy };
};

/** Current ids first, so an old-style id that happens to equal another key's id never shadows it. */
const idsOf = (keys: RingKey[]) => {
  const byId = new Map<string, IdEntry>(keys.map((key) => [key.id.toLowerCase(), { key, legacy: false }]));
  for (const key of keys) {
    const legacyId = key.legacyId?.toLowerCase();
    if (legacyId && !byId.has(legacyId)) byId.set(legacyId, { key, legacy: true });
  }
  return byId;
};

const open = (key: Buffer, [iv, tag, body]: string[], header?: string) => {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
  if (header) decipher.setAAD(Buffer.from(header, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
};

const keyMissing = (keyId: string) =>
  new OsteocomError(
    'ENCRYPTION_KEY_MISSING',
    `A stored secret is encrypted with key "${keyId}", which is not configured: add it back to OSTEOCOM_ENCRYPTION_KEY (after the newest key) until the re-encryption pass has moved every secret off it.`,
    { details: { keyId } }
  );

const decryptionFailed = (keyId: string | null) =>
  new OsteocomError(
    'DECRYPTION_FAILED',
    keyId
      ? `A stored secret cannot be decrypted with key "${keyId}": the key listed under that id is not the one it was encrypted with, or the stored value was altered.`
      : 'A stored secret from before key ids (v1) cannot be decrypted with any configured key: add the key it was written with to OSTEOCOM_ENCRYPTION_KEY.',
    { details: { keyId } }
  );

const badFormat = () => new OsteocomError('ENCRYPTION_ERROR', 'A stored secret is not in the expected encrypted format.');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let ring: Keyring | undefined;
  const keyring = () => (ring ??= buildKeyring(strapi));
  const newest = () => keyring().keys[0];

  const readV1 = (parts: string[]) => {
    for (const key of keyring().legacy) {
      try {
        return open(key, parts);
      } catch {
        // Not this key: GCM's tag tells, so trying each is safe.
      }
    }
    throw decryptionFailed(null);
  };

  const readV2 = (keyId: string, parts: string[]) => {
    const entry = keyring().byId.get(keyId.toLowerCase());
    if (!entry) throw keyMissing(keyId);
    try {
      // The header as written: an old-style id is authenticated as it stands in the ciphertext.
      return open(entry.key.key, parts, `${CURRENT}:${keyId}`);
    } catch {
      throw decryptionFailed(entry.key.id);
    }
  };

  /** The key id a ciphertext names; null for v1 or anything else. */
  const keyIdOf = (stored: string): string | null => {
    const parts = stored.split(':');
    return parts[0] === CURRENT && parts.length === 5 ? parts[1] : null;
  };

  return {
    /** Fails at startup rather than at the first purchase when no key can be had. */
    assertKeyAvailable() {
      keyring();
    },

    /** The keys in use, newest first (ids only). */
    keys: () => keyring().keys.map(({ id, source }, index) => ({ id, source, newest: index === 0 })),

    newestKeyId: () => newest().id,

    /** What every ciphertext on a key starts with, or (null) every v1 one: for counting rows in SQL. */
    prefixOf: (keyId: string | null) => (keyId ? `${CURRENT}:${keyId}:` : `${LEGACY}:`),

    /** Every prefix a listed key's ciphertexts may start with: its id's, then its old-style id's. */
    prefixesOf(keyId: string): string[] {
      const key = keyring().byId.get(keyId.toLowerCase())?.key;
      const ids = [keyId, ...(key?.legacyId && keyring().byId.get(key.legacyId.toLowerCase())?.legacy ? [key.legacyId] : [])];
      return ids.map((id) => `${CURRENT}:${id}:`);
    },

    keyIdOf,

    keyState(stored: string): KeyState {
      const keyId = keyIdOf(stored);
      if (!keyId) return stored.startsWith(`${LEGACY}:`) ? 'legacy' : 'unlisted';
      const entry = keyring().byId.get(keyId.toLowerCase());
      if (!entry) return 'unlisted';
      return entry.key === newest() && !entry.legacy ? 'newest' : 'older';
    },

    encrypt(plaintext: string): string {
      const { id, key } = newest();
      const header = `${CURRENT}:${id}`;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      cipher.setAAD(Buffer.from(header, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [header, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join(':');
    },

    /** The plaintext, or a typed error naming the key: never null. */
    decrypt(stored: string): string {
      const parts = stored.split(':');
      if (parts[0] === CURRENT && parts.length === 5 && parts[1]) return readV2(parts[1], parts.slice(2));
      if (parts[0] === LEGACY && parts.length === 4) return readV1(parts.slice(1));
      throw badFormat();
    },
  };
};
