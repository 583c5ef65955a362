import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';

/** The SQL table and column names Strapi gave a content type, for bulk queries with knex. */
export const tableOf = (strapi: Core.Strapi, uid: string) => {
  const meta = strapi.db.metadata.get(uid as never);
  const column = (attribute: string): string => {
    const definition = meta.attributes[attribute] as { columnName?: string } | undefined;
    if (!definition) throw new Error(`${uid} has no attribute ${attribute}`);
    return definition.columnName ?? attribute;
  };
  return { name: meta.tableName, column, meta };
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const ID_LENGTH = 24;
/** Random bytes drawn 4,096 ids at a time: one `randomBytes` call per id cost 2 s of a 100,000-video first sync. */
const POOL_SIZE = ID_LENGTH * 4096;
let pool = Buffer.alloc(0);
let offset = 0;

const randomIdBytes = () => {
  if (offset + ID_LENGTH > pool.length) [pool, offset] = [randomBytes(POOL_SIZE), 0];
  offset += ID_LENGTH;
  return pool.subarray(offset - ID_LENGTH, offset);
};

/** A Strapi-style documentId (24 lowercase alphanumerics starting with a letter) for bulk inserts. */
export const newDocumentId = (): string => {
  const bytes = randomIdBytes();
  let id = ALPHABET[bytes[0] % 26];
  for (let i = 1; i < ID_LENGTH; i += 1) id += ALPHABET[bytes[i] % ALPHABET.length];
  return id;
};

export const chunk = <T>(items: T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};
