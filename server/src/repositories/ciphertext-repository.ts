import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { tableOf } from '../utils/db';
import { CUSTOMER_UID } from './customer-repository';

const STORE_UID = 'strapi::core-store';
/** The core-store row `strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' })` reads and writes. */
const SETTINGS_ROW = { key: 'plugin_osteocom_settings', environment: null, tag: null };

export interface StoredAccessKey {
  id: number;
  accessKey: string;
}

/** The settings row as stored (JSON text), and the encrypted client secret in it. */
export interface StoredSettingsSecret {
  id: number;
  raw: string;
  clientSecretEncrypted: string;
}

const toCount = (value: unknown) => Number(value ?? 0);

/** The settings service ignores a stored value that is not an object (with a warning); so does this. */
const parseObject = (text: string): Record<string, unknown> | null => {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * Every ciphertext the plugin stores: customers' access keys, and the client secret typed in the
 * settings. Replacements are guarded writes (`… WHERE id = ? AND value = <the old ciphertext>`),
 * so a value changed meanwhile (a new purchase, a settings save) is never overwritten.
 */
export const createCiphertextRepository = (strapi: Core.Strapi) => {
  const customers = () => tableOf(strapi, CUSTOMER_UID);
  const knex = () => strapi.db.connection;

  return {
    /** Customers with an access key, and how many of them start with each prefix; one scan. */
    async countAccessKeys(prefixes: string[]): Promise<{ total: number; byPrefix: number[] }> {
      const { name, column } = customers();
      const accessKey = column('accessKey');
      const row = (await knex()(name)
        .whereNotNull(accessKey)
        .select(
          knex().raw('count(*) as total'),
          ...prefixes.map((prefix, index) => knex().raw(`sum(case when ?? like ? then 1 else 0 end) as ??`, [accessKey, `${prefix}%`, `p${index}`]))
        )
        .first()) as Record<string, unknown>;
      return { total: toCount(row.total), byPrefix: prefixes.map((_, index) => toCount(row[`p${index}`])) };
    },

    /** The next rows after `afterId` whose access key does not start with `prefix`, by id. */
    async accessKeysNotOn(prefix: string, afterId: number, limit: number): Promise<StoredAccessKey[]> {
      const { name, column } = customers();
      const rows = (await knex()(name)
        .select({ id: column('id'), accessKey: column('accessKey') })
        .where(column('id'), '>', afterId)
        .whereNotNull(column('accessKey'))
        .andWhereNot(column('accessKey'), 'like', `${prefix}%`)
        .orderBy(column('id'))
        .limit(limit)) as { id: number | string; accessKey: string }[];
      return rows.map((row) => ({ id: Number(row.id), accessKey: row.accessKey }));
    },

    /**
     * Replaces one access key if it is still `from`; false when the row changed meanwhile. The
     * row's updatedAt stays: re-encrypting is not a change the admin's lists should show.
     */
    async replaceAccessKey(trx: Knex.Transaction, id: number, from: string, to: string): Promise<boolean> {
      const { name, column } = customers();
      const updated = await trx(name)
        .where(column('id'), id)
        .andWhere(column('accessKey'), from)
        .update({ [column('accessKey')]: to });
      return updated === 1;
    },

    transaction<T>(work: (trx: Knex.Transaction) => Promise<T>) {
      return knex().transaction(work);
    },

    async settingsSecret(): Promise<StoredSettingsSecret | null> {
      const row = (await strapi.db.query(STORE_UID).findOne({ select: ['id', 'value'], where: SETTINGS_ROW })) as { id: number; value: string | null } | null;
      if (!row?.value) return null;
      const encrypted = parseObject(row.value)?.clientSecretEncrypted;
      return typeof encrypted === 'string' && encrypted ? { id: row.id, raw: row.value, clientSecretEncrypted: encrypted } : null;
    },

    /** Writes the settings with the secret re-encrypted, if the row is still as read. */
    async replaceSettingsSecret(stored: StoredSettingsSecret, to: string): Promise<boolean> {
      const value = { ...parseObject(stored.raw), clientSecretEncrypted: to };
      const { count } = await strapi.db.query(STORE_UID).updateMany({
        where: { id: stored.id, value: stored.raw },
        data: { value: JSON.stringify(value) },
      });
      return count === 1;
    },
  };
};

export type CiphertextRepository = ReturnType<typeof createCiphertextRepository>;
