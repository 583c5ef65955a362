import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../errors';
import { CHANNEL_UID, VIDEO_UID } from '../repositories/catalog-repository';
import type { Pagination } from '../schemas/requests';
import { tableOf } from '../utils/db';
import { pageWindow, paginate } from '../utils/pagination';

const PUBLIC_CHANNEL_FIELDS = ['idChannel', 'title', 'subtitle', 'htmlDescription', 'price', 'cover', 'background', 'trailer', 'authors'];
const PUBLIC_VIDEO_FIELDS = ['videoId', 'title', 'duration', 'videoQuality', 'position', 'channelKey'];

type Row = Record<string, unknown>;

/** Reads of the mirrored catalog, for the admin and the public content API. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = () => strapi.db.query(CHANNEL_UID);
  const videos = () => strapi.db.query(VIDEO_UID);

  const videosOf = async (keys: string[]) => {
    if (!keys.length) return new Map<string, Row[]>();
    const rows = (await videos().findMany({
      select: PUBLIC_VIDEO_FIELDS,
      where: { channelKey: { $in: keys }, availability: 'available' },
      orderBy: [{ channelKey: 'asc' }, { position: 'asc' }],
    })) as Row[];
    const byChannel = new Map<string, Row[]>();
    for (const { channelKey, ...video } of rows) {
      const key = channelKey as string;
      byChannel.set(key, [...(byChannel.get(key) ?? []), video]);
    }
    return byChannel;
  };

  const videoCounts = async (keys: string[]) => {
    const table = tableOf(strapi, VIDEO_UID);
    const rows: { key: string; count: number | string }[] = await strapi.db
      .connection(table.name)
      .select(`${table.column('channelKey')} as key`)
      .count({ count: '*' })
      .whereIn(table.column('channelKey'), keys)
      .andWhere(table.column('availability'), 'available')
      .groupBy(table.column('channelKey'));
    return new Map(rows.map((row) => [row.key, Number(row.count)]));
  };

  return {
    async listPublic(pagination: Pagination) {
      const where = { availability: 'available' };
      const [rows, total] = await Promise.all([
        channels().findMany({
          select: PUBLIC_CHANNEL_FIELDS,
          where,
          orderBy: [{ title: 'asc' }, { id: 'asc' }],
          ...pageWindow(pagination),
        }) as Promise<Row[]>,
        channels().count({ where }),
      ]);
      const byChannel = await videosOf(rows.map((row) => row.idChannel as string));
      return {
        results: rows.map((row) => ({ ...row, videos: byChannel.get(row.idChannel as string) ?? [] })),
        pagination: paginate(pagination, total),
      };
    },

    async getPublic(idChannel: string) {
      const row = (await channels().findOne({ select: PUBLIC_CHANNEL_FIELDS, where: { idChannel, availability: 'available' } })) as Row | null;
      if (!row) throw new OsteocomError('CHANNEL_NOT_FOUND', `No available channel "${idChannel}".`);
      const byChannel = await videosOf([idChannel]);
      return { ...row, videos: byChannel.get(idChannel) ?? [] };
    },

    async listForAdmin(query: Pagination & { q?: string; status?: 'available' | 'removed' }) {
      const where: Row = {
        ...(query.status ? { availability: query.status } : {}),
        ...(query.q ? { $or: [{ title: { $containsi: query.q } }, { idChannel: { $containsi: query.q } }] } : {}),
      };
      const [rows, total] = await Promise.all([
        channels().findMany({
          select: [...PUBLIC_CHANNEL_FIELDS, 'id', 'documentId', 'availability', 'lastSyncedAt'],
          where,
          orderBy: [{ title: 'asc' }, { id: 'asc' }],
          ...pageWindow(query),
        }) as Promise<Row[]>,
        channels().count({ where }),
      ]);
      const counts = await videoCounts(rows.map((row) => row.idChannel as string));
      return {
        results: rows.map(({ availability, ...row }) => ({ ...row, status: availability, videoCount: counts.get(row.idChannel as string) ?? 0 })),
        pagination: paginate(query, total),
      };
    },

    async videosForAdmin(idChannel: string) {
      const channel = await channels().findOne({ select: ['id'], where: { idChannel } });
      if (!channel) throw new OsteocomError('CHANNEL_NOT_FOUND', `No channel "${idChannel}".`);
      const rows = (await videos().findMany({
        select: ['videoId', 'title', 'duration', 'videoQuality', 'position', 'availability'],
        where: { channelKey: idChannel },
        orderBy: { position: 'asc' },
      })) as Row[];
      return rows.map(({ availability, ...video }) => ({ ...video, status: availability }));
    },
  };
};
