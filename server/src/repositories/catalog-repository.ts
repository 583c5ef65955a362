import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { channelFieldsSchema, type ChannelFields } from '../../../shared/contracts/catalog';
import { chunk, newDocumentId, tableOf } from '../utils/db';
import { CHANNEL_UID } from './channel-repository';
import { createSqliteWriter, type RowShape } from './sqlite-writer';
import { eachRow } from './each-row';
import { VIDEO_UID } from './video-repository';
import { storedChannelHash, storedVideoHash } from '../services/catalog/catalog-sync/diff';
import type { Availability, ChannelData, IndexedRow, StoredChannel, StoredVideo, VideoData } from '../services/catalog/catalog-sync/diff';

/** SQLite binds at most 32,766 parameters per statement (PostgreSQL and MySQL 65,535). */
const MAX_PARAMETERS = 32_000;

/** `size` rows per statement, fewer when the rows are wide enough to pass the parameter limit. */
const perStatement = (size: number, columns: number) => Math.max(1, Math.min(size, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));

/** The row object knex inserts, from a shape's columns and an item's values. */
const rowObject =
  <T>({ columns, values }: RowShape<T>) =>
  (item: T) => {
    const row: Record<string, unknown> = {};
    values(item).forEach((value, i) => (row[columns[i]] = value));
    return row;
  };

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
  inverseOrderColumnName?: string;
}

/**
 * Bulk reads and writes of the mirrored catalog with knex (on SQLite, prepared statements on
 * its own connection): the Document Service validates and emits events per document, far too
 * slow for 100,000 videos. Column names come from Strapi's
 * metadata so they follow its naming on every database.
 */
export const createCatalogRepository = (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const channels = tableOf(strapi, CHANNEL_UID);
  const videos = tableOf(strapi, VIDEO_UID);
  const link = (videos.meta.attributes.channel as unknown as { joinTable: JoinTable }).joinTable;
  const returning = strapi.db.dialect.useReturning();
  const sqlite = strapi.db.dialect.client === 'sqlite';

  /** An insert's or update's columns, named once, and each item's values in their order. */
  const shapeOf = <T>(table: typeof channels, attributes: string[], values: (item: T) => unknown[]): RowShape<T> => ({
    columns: attributes.map((attribute) => table.column(attribute)),
    values,
  });

  const CHANNEL_FIELDS = Object.keys(channelFieldsSchema.shape) as (keyof ChannelFields)[];
  const CHANNEL_ATTRIBUTES = [...CHANNEL_FIELDS, 'contentHash', 'availability', 'lastSyncedAt', 'updatedAt', 'authorNames'];
  const VIDEO_ATTRIBUTES = ['videoId', 'title', 'duration', 'videoQuality', 'channelKey', 'position', 'contentHash', 'availability', 'updatedAt'];
  const CREATED_ATTRIBUTES = ['documentId', 'createdAt', 'publishedAt'];

  const channelValues = (data: ChannelData, now: Date) =>
    [...CHANNEL_FIELDS.map((field) => (field === 'authors' ? JSON.stringify(data.authors) : data[field])), data.contentHash, 'available', now, now, data.authorNames];

  const videoValues = (data: VideoData, now: Date) =>
    [data.videoId, data.title, data.duration, data.videoQuality, data.channelKey, data.position, data.contentHash, 'available', now];

  const newChannels = (now: Date) =>
    shapeOf<ChannelData>(channels, [...CHANNEL_ATTRIBUTES, ...CREATED_ATTRIBUTES], (data) => [...channelValues(data, now), newDocumentId(), now, now]);

  const newVideos = (now: Date) =>
    shapeOf<VideoData>(videos, [...VIDEO_ATTRIBUTES, ...CREATED_ATTRIBUTES], (data) => [...videoValues(data, now), newDocumentId(), now, now]);

  const VIDEO_FIELDS = ['videoId', 'title', 'duration', 'videoQuality', 'channelKey', 'position'];

  /** Reads the mirrored fields back (aliased to attribute names) so each row's hash is of what it holds now. */
  const readIndex = async <T>(table: typeof channels, fields: string[], toIndexed: (row: T & { id: number; status: Availability }) => IndexedRow) => {
    const select = () => knex(table.name).select([`${table.column('id')} as id`, `${table.column('availability')} as status`, ...fields.map((field) => `${table.column(field)} as ${field}`)]);
    const index: IndexedRow[] = [];
    await eachRow<T & { id: number; status: Availability }>(knex, select, table.column('id'), (r) => index.push(toIndexed(r)));
    return index;
  };

  const channelIndex = (): Promise<IndexedRow[]> =>
    readIndex<StoredChannel>(channels, [...CHANNEL_FIELDS, 'authorNames'], (r) => ({ id: Number(r.id), key: r.idChannel, status: r.status, contentHash: storedChannelHash(r) }));

  const videoIndex = (): Promise<IndexedRow[]> =>
    readIndex<StoredVideo>(videos, VIDEO_FIELDS, (r) => ({ id: Number(r.id), key: r.videoId, status: r.status, channelKey: r.channelKey, contentHash: storedVideoHash(r) }));

  /** Inserts rows and reads their ids back from the insert: RETURNING where the dialect has it. */
  const insertOne = async (trx: Knex.Transaction, table: typeof channels, rows: Record<string, unknown>[], idColumn: string, keyColumn: string) => {
    if (returning) return trx(table.name).insert(rows).returning([idColumn, keyColumn]) as Promise<Record<string, unknown>[]>;
    // MySQL has no RETURNING, nor consecutive ids under interleaved auto-increment: read back by the unique key.
    await trx(table.name).insert(rows);
    return trx(table.name).select(idColumn, keyColumn).whereIn(keyColumn, rows.map((row) => row[keyColumn] as string)) as Promise<Record<string, unknown>[]>;
  };

  /** A row per item, built a statement at a time; the new rows' ids by key. */
  const insertReturningIds = async <T>(trx: Knex.Transaction, table: typeof channels, key: string, items: T[], shape: RowShape<T>, size: number) => {
    const [idColumn, keyColumn] = [table.column('id'), table.column(key)];
    const keyOf = (item: T) => (item as Record<string, unknown>)[key] as string;
    if (sqlite) {
      const ids = await (await createSqliteWriter(trx, size)).insert(table.name, shape, items);
      return new Map(items.map((item, i) => [keyOf(item), ids[i]]));
    }
    const ids = new Map<string, number>();
    for (const part of chunk(items, perStatement(size, shape.columns.length))) {
      for (const row of await insertOne(trx, table, part.map(rowObject(shape)), idColumn, keyColumn)) ids.set(row[keyColumn] as string, Number(row[idColumn]));
    }
    return ids;
  };

  const linkShape: RowShape<{ videoId: number; channelId: number; position: number }> = {
    columns: [link.joinColumn.name, link.inverseJoinColumn.name, ...(link.inverseOrderColumnName ? [link.inverseOrderColumnName] : [])],
    values: (pair) => [pair.videoId, pair.channelId, ...(link.inverseOrderColumnName ? [pair.position + 1] : [])],
  };

  const linkVideos = async (trx: Knex.Transaction, pairs: { videoId: number; channelId: number; position: number }[], size: number) => {
    if (sqlite) return void (await (await createSqliteWriter(trx, size)).insert(link.name, linkShape, pairs));
    for (const part of chunk(pairs, perStatement(size, linkShape.columns.length))) await trx(link.name).insert(part.map(rowObject(linkShape)));
  };

  /** Each item's row updated by id. */
  const updateRows = async <T extends { id: number }>(trx: Knex.Transaction, table: typeof channels, items: T[], shape: RowShape<T>, size: number) => {
    if (sqlite) return (await createSqliteWriter(trx, size)).update(table.name, table.column('id'), shape, items);
    for (const item of items) await trx(table.name).where(table.column('id'), item.id).update(rowObject(shape)(item));
  };

  return {
    channelIndex,
    videoIndex,

    /** The new channels' ids by idChannel. */
    insertChannels(trx: Knex.Transaction, items: ChannelData[], now: Date, size: number) {
      return insertReturningIds(trx, channels, 'idChannel', items, newChannels(now), size);
    },

    updateChannels(trx: Knex.Transaction, items: { id: number; data: ChannelData }[], now: Date, size: number) {
      return updateRows(trx, channels, items, shapeOf(channels, CHANNEL_ATTRIBUTES, (item: { id: number; data: ChannelData }) => channelValues(item.data, now)), size);
    },

    /** New videos and their links to their channels; a new row has no link to replace. */
    async insertVideos(trx: Knex.Transaction, items: VideoData[], channelIds: Map<string, number>, now: Date, size: number) {
      const ids = await insertReturningIds(trx, videos, 'videoId', items, newVideos(now), size);
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
      await updateRows(trx, videos, items, shapeOf(videos, VIDEO_ATTRIBUTES, (item: { id: number; data: VideoData }) => videoValues(item.data, now)), size);
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
