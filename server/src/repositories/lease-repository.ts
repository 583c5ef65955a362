import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { newDocumentId, tableOf } from '../utils/db';

export const LEASE_UID = 'plugin::osteocom.lease';

/**
 * One row per lease name; every write is a compare-and-set on `owner` and `expiresAt` with knex,
 * as plain UPDATE … WHERE works the same on SQLite, PostgreSQL and MySQL. Each returns how many
 * rows it changed: 1 when it won.
 */
export const createLeaseRepository = (strapi: Core.Strapi) => {
  const table = () => tableOf(strapi, LEASE_UID);
  const knex = () => strapi.db.connection;

  return {
    /** The unique index makes a concurrent first insert a no-op, not a second row. */
    async ensure(name: string) {
      const { name: tableName, column } = table();
      if (await knex()(tableName).where(column('name'), name).first(column('id'))) return;
      const now = new Date();
      await knex()(tableName)
        .insert({
          [column('name')]: name,
          [column('owner')]: null,
          [column('expiresAt')]: 0,
          [column('documentId')]: newDocumentId(),
          [column('createdAt')]: now,
          [column('updatedAt')]: now,
          [column('publishedAt')]: now,
        })
        .onConflict(column('name'))
        .ignore();
    },

    /** Takes the lease when it is free or its holder's has expired. */
    take(name: string, owner: string, leaseMs: number): Promise<number> {
      const { name: tableName, column } = table();
      const now = Date.now();
      return knex()(tableName)
        .where(column('name'), name)
        .andWhere((where) => where.whereNull(column('owner')).orWhere(column('expiresAt'), '<', now))
        .update({ [column('owner')]: owner, [column('expiresAt')]: now + leaseMs });
    },

    /** Extends the owner's lease; `db` may be a transaction, to renew inside it. */
    renew(name: string, owner: string, leaseMs: number, db: Knex = knex()): Promise<number> {
      const { name: tableName, column } = table();
      return db(tableName)
        .where({ [column('name')]: name, [column('owner')]: owner })
        .update({ [column('expiresAt')]: Date.now() + leaseMs });
    },

    /** Whether any server holds the lease now. */
    async isHeld(name: string) {
      const { name: tableName, column } = table();
      const row = await knex()(tableName)
        .where(column('name'), name)
        .whereNotNull(column('owner'))
        .andWhere(column('expiresAt'), '>=', Date.now())
        .first(column('id'));
      return Boolean(row);
    },

    release(name: string, owner: string): Promise<number> {
      const { name: tableName, column } = table();
      return knex()(tableName)
        .where({ [column('name')]: name, [column('owner')]: owner })
        .update({ [column('owner')]: null, [column('expiresAt')]: 0 });
    },
  };
};
