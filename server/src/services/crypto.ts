import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../errors';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * The key comes from `encryptionKey` (OSTEOCOM_ENCRYPTION_KEY) or, failing that, is derived
 * from the app's admin encryption key, so a stock Strapi app works without extra setup.
 */
const resolveKey = (strapi: Core.Strapi): Buffer => {
  const own = strapi.plugin('osteocom').config<string | undefined>('encryptionKey');
  if (own) return createHash('sha256').update(own, 'utf8').digest();
  const appKey = strapi.config.get<string | undefined>('admin.secrets.encryptionKey');
  if (!appKey) {
    throw new OsteocomError(
      'ENCRYPTION_ERROR',
      'No encryption key: set OSTEOCOM_ENCRYPTION_KEY (or `encryptionKey` in the osteocom plugin config), or admin.secrets.encryptionKey in config/admin.ts.'
    );
  }
  return Buffer.from(hkdfSync('sha256', appKey, 'strapi-plugin-osteocom', 'access-keys', 32));
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let key: Buffer | undefined;
  const getKey = () => (key ??= resolveKey(strapi));

  return {
    /** Fails at startup rather than at the first purchase when no key can be had. */
    assertKeyAvailable() {
      getKey();
    },

    encrypt(plaintext: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, getKey(), iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
      return [VERSION, ...parts].join(':');
    },

    decrypt(stored: string): string {
      const [version, iv, tag, body] = stored.split(':');
      if (version !== VERSION || !iv || !tag || body === undefined) {
        throw new OsteocomError('ENCRYPTION_ERROR', 'A stored secret is not in the expected encrypted format.');
      }
      try {
        const decipher = createDecipheriv(ALGORITHM, getKey(), Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new OsteocomError(
          'ENCRYPTION_ERROR',
          'A stored secret cannot be decrypted: the encryption key (OSTEOCOM_ENCRYPTION_KEY or the app encryption key) changed since it was stored.'
        );
      }
    },
  };
};
