import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { CUSTOMER_UID } from '../repositories/customer-repository';
import { ENTITLEMENT_UID } from '../repositories/entitlement-repository';
import { LEASE_UID } from '../repositories/lease-repository';
import { VIDEO_UID } from '../repositories/video-repository';
import { tableOf } from '../utils/db';
import { uniqueKeys, type UniqueKey } from './indexes';

type Row = Record<string, unknown> & { id: number };
type Column = (attribute: string) => string;

/** How one content type's duplicates of a key become one row. */
interface MergeRule {
  /** The row that stays; `rows` are sorted by id, oldest first. */
  survivor(rows: Row[], column: Column): Row;
  /** Columns the survivor takes from the rows about to be removed (newest first). */
  patch(survivor: Row, others: Row[], column: Column): Record<string, unknown>;
  /** The patch flags the survivor for a check (counted in the log line). */
  flags?: boolean;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';
const time = (value: unknown) => (isEmpty(value) ? 0 : new Date(value as string | number | Date).getTime());

const oldest = (rows: Row[]) => rows[0];
const newest = (rows: Row[], column: Column) =>
  [...rows].sort((a, b) => time(b[column('updatedAt')]) - time(a[column('updatedAt')]) || b.id - a.id)[0];

/**
 * The newest intent wins, except that a refused (`failed`) row never overrides an `active` one:
 * a paying customer is not refused because a later retry failed. A `revoked` row is an intent.
 */
const newestIntent = (rows: Row[], column: Column) => {
  const status = (row: Row) => row[column('status')];
  const candidates = rows.some((row) => status(row) === 'active') ? rows.filter((row) => status(row) !== 'failed') : rows;
  return newest(candidates, column);
};

/** Fills the survivor's empty columns from the newest row that has a value. */
const fillEmpty = (attributes: string[]) => (survivor: Row, others: Row[], column: Column) =>
  Object.fromEntries(
    attributes
      .map(column)
      .filter((name) => isEmpty(survivor[name]))
      .map((name) => [name, others.find((row) => !isEmpty(row[name]))?.[name]])
      .filter(([, value]) => !isEmpty(value))
  );

const RULES: Record<string, MergeRule> = {
  // The first record of a customer keeps its id; a profile or access key only a later one got is kept.
  [CUSTOMER_UID]: { survivor: oldest, patch: fillEmpty(['email', 'name', 'surname', 'accessKey']) },
  // Every merged access is flagged: it shows under Needs attention until checked against Osteocom.
  [ENTITLEMENT_UID]: { survivor: newestIntent, patch: (_, __, column) => ({ [column('needsReconciliation')]: true }), flags: true },
  // A lease held twice is held by nobody: the next acquisition takes it cleanly.
  [LEASE_UID]: { survivor: oldest, patch: (_, __, column) => ({ [column('owner')]: null, [column('expiresAt')]: 0 }) },
  // Mirrored rows: the sync overwrites their fields; the links to them are what must survive.
  [CHANNEL_UID]: { survivor: oldest, patch: () => ({}) },
  [VIDEO_UID]: { survivor: oldest, patch: () => ({}) },
};

interface Link {
  table: string;
  /** The join-table column holding the merged type's id. */
  column: string;
  /** The column holding the other side's id (a pair is unique). */
  other: string;
}

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
}

/** Every join table, of any content type (the site's own too), that points at rows of `uid`. */
const linksTo = (strapi: Core.Strapi, uid: string): Link[] => {
  const seen = new Set<string>();
  const links: Link[] = [];
  for (const meta of strapi.db.metadata.values()) {
    for (const attribute of Object.values(meta.attributes) as { joinTable?: JoinTable; target?: string }[]) {
      const joinTable = attribute.joinTable;
      if (!joinTable || seen.has(joinTable.name)) continue;
      seen.add(joinTable.name);
      const { joinColumn, inverseJoinColumn } = joinTable;
      if (meta.uid === uid) links.push({ table: joinTable.name, column: joinColumn.name, other: inverseJoinColumn.name });
      if (attribute.target === uid) links.push({ table: joinTable.name, column: inverseJoinColumn.name, other: joinColumn.name });
    }
  }
  return links;
};

/** Re-points a removed row's links to the survivor, dropping those the survivor already has. */
const moveLinks = async (trx: Knex.Transaction, links: Link[], from: number, to: number) => {
  for (const link of links) {
    if (!(await trx.schema.hasTable(link.table))) continue;
    const kept = (await trx(link.table).where(link.column, to).pluck(link.other)) as number[];
    if (kept.length) await trx(link.table).where(link.column, from).whereIn(link.other, kept).delete();
    await trx(link.table).where(link.column, from).update({ [link.column]: to });
  }
};

/** Rows without a value are not duplicates: every dialect's unique index admits many NULLs. */
const duplicatedKeys = async (knex: Knex, key: UniqueKey): Promise<string[]> =>
  knex(key.table).whereNotNull(key.column).groupBy(key.column).having(knex.raw('count(*) > 1')).pluck(key.column);

/**
 * Keys not merged: a channel's slug is the site's, created with its index (no row predates it) and
 * filled uniquely by the plugin; two channels with one slug are two channels, never one. The
 * report's ledger and its tallies were created with their indexes too, and the ledger's rows are never rewritten.
 */
const NOT_MERGED = new Set(['osteocom_channels_slug_uq', 'osteocom_access_events_key_uq', 'osteocom_access_days_day_uq', 'osteocom_access_counts_key_uq']);

const mergeTable = async (strapi: Core.Strapi, key: UniqueKey) => {
  const knex = strapi.db.connection;
  const rule = RULES[key.uid];
  if (!rule) throw new Error(`${key.uid}: unique index ${key.index} has no rule for merging duplicates`);
  // A fresh install has no table yet; an older one may lack the key's column.
  if (!(await knex.schema.hasTable(key.table)) || !(await knex.schema.hasColumn(key.table, key.column))) return;
  const keys = await duplicatedKeys(knex, key);
  if (!keys.length) return;

  const { column } = tableOf(strapi, key.uid);
  const links = linksTo(strapi, key.uid);
  let removed = 0;
  let activeKept = 0;
  await knex.transaction(async (trx) => {
    for (const value of keys) {
      const rows = (await trx(key.table).where(key.column, value).orderBy('id')) as Row[];
      const survivor = rule.survivor(rows, column);
      const others = rows.filter((row) => row.id !== survivor.id).sort((a, b) => b.id - a.id);
      const patch = rule.patch(survivor, others, column);
      if (Object.keys(patch).length) await trx(key.table).where('id', survivor.id).update(patch);
      for (const other of others) await moveLinks(trx, links, other.id, survivor.id);
      await trx(key.table).whereIn('id', others.map((row) => row.id)).delete();
      removed += others.length;
      if (rule.flags && newest(rows, column).id !== survivor.id) activeKept += 1;
    }
  });
  const flagged = rule.flags ? `, active kept over a newer failed row ${activeKept}, flagged for a check ${keys.length} (under Needs attention)` : '';
  strapi.log.warn(
    `[osteocom] merged duplicate rows before creating a unique index: table ${key.table}, index ${key.index}, keys ${keys.length}, rows removed ${removed}${flagged}`
  );
};

/**
 * Runs on `strapi::content-types.beforeSync`, right before Strapi's schema sync creates the
 * unique indexes: rows written twice before the indexes existed are merged, so the index can be
 * created. On a clean database it costs one GROUP BY … HAVING per unique key.
 */
export const mergeDuplicates = async (strapi: Core.Strapi) => {
  for (const key of uniqueKeys(strapi)) if (!NOT_MERGED.has(key.index)) await mergeTable(strapi, key);
};
