import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { chunk, newDocumentId, tableOf } from '../utils/db';
import type { Availability, ChannelData, IndexedRow, VideoData } from '../services/catalog-sync/diff';

export const CHANNEL_UID = 'plugin::osteocom.channel';
export const VIDEO_UID = 'plugin::osteocom.video';

/** SQLite binds at most 32,766 parameters per statement (PostgreSQL and MySQL 65,535). */
const MAX_PARAMETERS = 32_000;

/** `size` rows per statement, fewer when the rows are wide enough to pass the parameter limit. */
const perStatement = (size: number, rows: Record<string, unknown>[]) =>
  Math.max(1, Math.min(size, Math.floor(MAX_PARAMETERS / Math.max(1, Object.keys(rows[0] ?? {}).length))));

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
  inverseOrderColumnName?: string;
}

/**
 * Bulk reads and writes of the mirrored catalog with knex: the Document Service validates and
 * emits events per document, far too slow for 100,000 videos. Column names come from Strapi's
 * metadata so they follow its naming on every database.
 */
export const createCatalogRepository = (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const channels = tableOf(strapi, CHANNEL_UID);
  const videos = tableOf(strapi, VIDEO_UID);
  const link = (videos.meta.attributes.channel as unknown as { joinTable: JoinTable }).joinTable;
  const returning = strapi.db.dialect.useReturning();

  const row = (table: typeof channels, data: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(data).map(([attribute, value]) => [table.column(attribute), value]));

  const channelRow = (data: ChannelData, now: Date, status: Availability) =>
    row(channels, { ...data, authors: JSON.stringify(data.authors), availability: status, lastSyncedAt: now, updatedAt: now });

  const videoRow = (data: VideoData, now: Date, status: Availability) =>
    row(videos, { ...data, availability: status, updatedAt: now });

  const created = (table: typeof channels, now: Date) =>
    row(table, { documentId: newDocumentId(), createdAt: now, publishedAt: now });

  const index = async (table: typeof channels, key: string, withChannel: boolean): Promise<IndexedRow[]> => {
    const columns = [`${table.column('id')} as id`, `${table.column(key)} as key`, `${table.column('contentHash')} as contentHash`, `${table.column('availability')} as status`];
    if (withChannel) columns.push(`${table.column('channelKey')} as channelKey`);
    return knex(table.name).select(columns);
  };

  /** Inserts rows and reads their ids back from the insert: RETURNING where the dialect has it. */
  const insertOne = async (trx: Knex.Transaction, table: typeof channels, rows: Record<string, unknown>[], idColumn: string, keyColumn: string) => {
    if (returning) return trx(table.name).insert(rows).returning([idColumn, keyColumn]) as Promise<Record<string, unknown>[]>;
    // MySQL has no RETURNING, nor consecutive ids under interleaved auto-increment: read back by the unique key.
    await trx(table.name).insert(rows);
    return trx(table.name).select(idColumn, keyColumn).whereIn(keyColumn, rows.map((row) => row[keyColumn] as string)) as Promise<Record<string, unknown>[]>;
  };

  /** Rows inserted in statements of `size`; their ids by key. */
  const insertReturningIds = async (trx: Knex.Transaction, table: typeof channels, key: string, rows: Record<string, unknown>[], size: number) => {
    const ids = new Map<string, number>();
    const [idColumn, keyColumn] = [table.column('id'), table.column(key)];
    for (const part of chunk(rows, perStatement(size, rows))) {
      for (const row of await insertOne(trx, table, part, idColumn, keyColumn)) ids.set(row[keyColumn] as string, Number(row[idColumn]));
    }
    return ids;
  };

  const linkVideos = async (trx: Knex.Transaction, pairs: { videoId: number; channelId: number; position: number }[], size: number) => {
    const rows = pairs.map((pair) => ({
      [link.joinColumn.name]: pair.videoId,
      [link.inverseJoinColumn.name]: pair.channelId,
      ...(link.inverseOrderColumnName ? { [link.inverseOrderColumnName]: pair.position + 1 } : {}),
    }));
    for (const part of chunk(rows, perStatement(size, rows))) await trx(link.name).insert(part);
  };

  return {
    channelIndex: () => index(channels, 'idChannel', false),
    videoIndex: () => index(videos, 'videoId', true),

    /** The new channels' ids by idChannel. */
    async insertChannels(trx: Knex.Transaction, items: ChannelData[], now: Date, size: number) {
      const rows = items.map((item) => ({ ...channelRow(item, now, 'available'), ...created(channels, now) }));
      return insertReturningIds(trx, channels, 'idChannel', rows, size);
    },

    async updateChannels(trx: Knex.Transaction, items: { id: number; data: ChannelData }[], now: Date) {
      for (const item of items) {
        await trx(channels.name).where(channels.column('id'), item.id).update(channelRow(item.data, now, 'available'));
      }
    },

    /** New videos and their links to their channels; a new row has no link to replace. */
    async insertVideos(trx: Knex.Transaction, items: VideoData[], channelIds: Map<string, number>, now: Date, size: number) {
      const rows = items.map((item) => ({ ...videoRow(item, now, 'available'), ...created(videos, now) }));
      const ids = await insertReturningIds(trx, videos, 'videoId', rows, size);
      const pairs = items.map((item) => ({ videoId: ids.get(item.videoId)!, channelId: channelIds.get(item.channelKey)!, position: item.position }));
      await linkVideos(trx, pairs, size);
    },

    async updateVideos(
      trx: Knex.Transaction,
      items: { id: number; data: VideoData; moved: boolean }[],
      channelIds: Map<string, number>,
      now: Date,
      size: number
    ) {
      for (const item of items) {
        await trx(videos.name).where(videos.column('id'), item.id).update(videoRow(item.data, now, 'available'));
      }
      const moved = items.filter((item) => item.moved);
      for (const part of chunk(moved, size)) {
        await trx(link.name).whereIn(link.joinColumn.name, part.map((item) => item.id)).delete();
      }
      const pairs = moved.map((item) => ({ videoId: item.id, channelId: channelIds.get(item.data.channelKey)!, position: item.data.position }));
      await linkVideos(trx, pairs, size);
    },

    async markRemoved(trx: Knex.Transaction, kind: 'channel' | 'video', ids: number[], now: Date, size: number) {
      const table = kind === 'channel' ? channels : videos;
      for (const part of chunk(ids, size)) {
        await trx(table.name)
          .whereIn(table.column('id'), part)
          .update({ [table.column('availability')]: 'removed', [table.column('updatedAt')]: now });
      }
    },

    transaction<T>(work: (trx: Knex.Transaction) => Promise<T>) {
      return knex.transaction(work);
    },
  };
};

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
