import { createHash, createHmac } from 'node:crypto';

/**
 * `encryptionKey` (OSTEOCOM_ENCRYPTION_KEY) lists one or more keys, newest first, separated by
 * commas (config/plugins.ts may give an array instead). An entry is `id:key` or just `key`;
 * without an explicit id, a key's id is derived from the key with a hash of its own (keyIdOf).
 * Ciphertexts name the id, never the key.
 */
export const KEY_SEPARATOR = ',';
export const MIN_KEY_LENGTH = 16;

/** Ids never contain `:` (ciphertexts are `:`-separated) nor SQL LIKE wildcards (rows are counted by prefix). */
const EXPLICIT_ID = /^([A-Za-z0-9.-]{1,32}):([\s\S]*)$/;

export type KeyListInput = string | readonly string[];

export interface KeyEntry {
  id: string;
  /** The key text itself, without its id. */
  material: string;
  /** The id the same key had before ids were labelled (no explicit id only): still read, never written. */
  legacyId?: string;
}

/**
 * Fixes the HMAC that derives ids: an id is 8 hex digits of a digest no other part of the plugin
 * computes, so it tells keys apart in ciphertexts, messages and the admin without revealing any
 * bit of the AES key (which is SHA-256 of the material, or the app-derived key itself).
 */
const KEY_ID_LABEL = 'strapi-plugin-osteocom key id';

export const keyIdOf = (value: string | Buffer) => createHmac('sha256', KEY_ID_LABEL).update(value).digest('hex').slice(0, 8);

/**
 * The ids written before ids were labelled: 8 hex digits of SHA-256 of the material, i.e. of a passphrase key's
 * AES key. Kept only to read (and move) the ciphertexts that name them; never shown or written.
 */
export const legacyKeyIdOf = (value: string | Buffer) => createHash('sha256').update(value).digest('hex').slice(0, 8);

export const parseKeyList = (value: KeyListInput): { entries: KeyEntry[]; problems: string[] } => {
  const written = typeof value === 'string' ? value.split(KEY_SEPARATOR) : [...value];
  const problems: string[] = [];
  const entries = written.map((text, index) => {
    const entry = text.trim();
    const explicit = EXPLICIT_ID.exec(entry);
    const material = explicit ? explicit[2] : entry;
    if (material.length < MIN_KEY_LENGTH) {
      problems.push(`key ${index + 1} of ${written.length}${explicit ? ` ("${explicit[1]}")` : ''} must be at least ${MIN_KEY_LENGTH} characters`);
    }
    return explicit ? { id: explicit[1], material } : { id: keyIdOf(material), material, legacyId: legacyKeyIdOf(material) };
  });
  const seen = new Set<string>();
  for (const { id } of entries) {
    // MySQL compares without case by default: two ids differing only in case would count as one.
    if (seen.has(id.toLowerCase())) problems.push(`key id "${id}" is listed twice (ids are compared without case)`);
    seen.add(id.toLowerCase());
  }
  return { entries, problems };
};
