import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { chunk, newDocumentId, tableOf } from '../utils/db';
import { storedChannelHash, storedVideoHash } from '../services/catalog-sync/diff';
import type { Availability, ChannelData, IndexedRow, StoredChannel, StoredVideo, VideoData } from '../services/catalog-sync/diff';

export const CHANNEL_UID = 'plugin::osteocom.channel';
export const VIDEO_UID = 'plugin::osteocom.video';

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

  const row = (table: typeof channels, data: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(data).map(([attribute, value]) => [table.column(attribute), value]));

  const channelRow = (data: ChannelData, now: Date, status: Availability) =>
    row(channels, { ...data, authors: JSON.stringify(data.authors), availability: status, lastSyncedAt: now, updatedAt: now });

  const videoRow = (data: VideoData, now: Date, status: Availability) =>
    row(videos, { ...data, availability: status, updatedAt: now });

  const created = (table: typeof channels, now: Date) =>
    row(table, { documentId: newDocumentId(), createdAt: now, publishedAt: now });

  const CHANNEL_FIELDS = ['idChannel', 'title', 'subtitle', 'htmlDescription', 'price', 'cover', 'background', 'trailer', 'authors'];
  const VIDEO_FIELDS = ['videoId', 'title', 'duration', 'videoQuality', 'channelKey', 'position'];

  /** Reads the mirrored fields back (aliased to attribute names) so each row's hash is of what it holds now. */
  const readIndex = (table: typeof channels, fields: string[]) =>
    knex(table.name).select([`${table.column('id')} as id`, `${table.column('availability')} as status`, ...fields.map((field) => `${table.column(field)} as ${field}`)]);

  const channelIndex = async (): Promise<IndexedRow[]> =>
    (await readIndex(channels, CHANNEL_FIELDS)).map((r: StoredChannel & { id: number; status: Availability }) => ({
      id: Number(r.id),
      key: r.idChannel,
      status: r.status,
      contentHash: storedChannelHash(r),
    }));

  const videoIndex = async (): Promise<IndexedRow[]> =>
    (await readIndex(videos, VIDEO_FIELDS)).map((r: StoredVideo & { id: number; status: Availability }) => ({
      id: Number(r.id),
      key: r.videoId,
      status: r.status,
      channelKey: r.channelKey,
      contentHash: storedVideoHash(r),
    }));

  const idsByKey = async (trx: Knex.Transaction, table: typeof channels, key: string, keys: string[]) => {
    const rows: { id: number; key: string }[] = await trx(table.name)
      .select(`${table.column('id')} as id`, `${table.column(key)} as key`)
      .whereIn(table.column(key), keys);
    return new Map(rows.map((r) => [r.key, Number(r.id)]));
  };

  const linkVideos = async (trx: Knex.Transaction, pairs: { videoId: number; channelId: number; position: number }[]) => {
    if (!pairs.length) return;
    await trx(link.name).whereIn(link.joinColumn.name, pairs.map((pair) => pair.videoId)).delete();
    const rows = pairs.map((pair) => ({
      [link.joinColumn.name]: pair.videoId,
      [link.inverseJoinColumn.name]: pair.channelId,
      ...(link.inverseOrderColumnName ? { [link.inverseOrderColumnName]: pair.position + 1 } : {}),
    }));
    for (const part of chunk(rows, 500)) await trx(link.name).insert(part);
  };

  return {
    channelIndex,
    videoIndex,

    async channelIds(keys: string[]) {
      return knex.transaction((trx) => idsByKey(trx, channels, 'idChannel', keys));
    },

    async insertChannels(trx: Knex.Transaction, items: ChannelData[], now: Date) {
      if (!items.length) return;
      await trx(channels.name).insert(items.map((item) => ({ ...channelRow(item, now, 'available'), ...created(channels, now) })));
    },

    async updateChannels(trx: Knex.Transaction, items: { id: number; data: ChannelData }[], now: Date) {
      for (const item of items) {
        await trx(channels.name).where(channels.column('id'), item.id).update(channelRow(item.data, now, 'available'));
      }
    },

    async insertVideos(trx: Knex.Transaction, items: VideoData[], channelIds: Map<string, number>, now: Date) {
      if (!items.length) return;
      await trx(videos.name).insert(items.map((item) => ({ ...videoRow(item, now, 'available'), ...created(videos, now) })));
      const ids = await idsByKey(trx, videos, 'videoId', items.map((item) => item.videoId));
      await linkVideos(
        trx,
        items.map((item) => ({ videoId: ids.get(item.videoId)!, channelId: channelIds.get(item.channelKey)!, position: item.position }))
      );
    },

    async updateVideos(
      trx: Knex.Transaction,
      items: { id: number; data: VideoData; moved: boolean }[],
      channelIds: Map<string, number>,
      now: Date
    ) {
      for (const item of items) {
        await trx(videos.name).where(videos.column('id'), item.id).update(videoRow(item.data, now, 'available'));
      }
      await linkVideos(
        trx,
        items
          .filter((item) => item.moved)
          .map((item) => ({ videoId: item.id, channelId: channelIds.get(item.data.channelKey)!, position: item.data.position }))
      );
    },

    async markRemoved(trx: Knex.Transaction, kind: 'channel' | 'video', ids: number[], now: Date) {
      if (!ids.length) return;
      const table = kind === 'channel' ? channels : videos;
      await trx(table.name)
        .whereIn(table.column('id'), ids)
        .update({ [table.column('availability')]: 'removed', [table.column('updatedAt')]: now });
    },

    transaction<T>(work: (trx: Knex.Transaction) => Promise<T>) {
      return knex.transaction(work);
    },
  };
};

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
