import { createHash } from 'node:crypto';

/**
 * `encryptionKey` (OSTEOCOM_ENCRYPTION_KEY) lists one or more keys, newest first, separated by
 * commas (config/plugins.ts may give an array instead). An entry is `id:key` or just `key`;
 * without an explicit id, a key's id is the first 8 hex digits of the SHA-256 of the key.
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
}

/** 8 hex digits of SHA-256: tells keys apart in ciphertexts and messages without revealing them. */
export const fingerprint = (value: string | Buffer) => createHash('sha256').update(value).digest('hex').slice(0, 8);

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
    return { id: explicit ? explicit[1] : fingerprint(material), material };
  });
  const seen = new Set<string>();
  for (const { id } of entries) {
    // MySQL compares without case by default: two ids differing only in case would count as one.
    if (seen.has(id.toLowerCase())) problems.push(`key id "${id}" is listed twice (ids are compared without case)`);
    seen.add(id.toLowerCase());
  }
  return { entries, problems };
};
