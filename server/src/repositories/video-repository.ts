import type { Core } from '@strapi/strapi';
import { videoSchema, type Availability, type Video as PublicVideo } from '../../../shared/contracts/catalog';
import { tableOf } from '../utils/db';

export const VIDEO_UID = 'plugin::osteocom.video';

export type { PublicVideo };

const PUBLIC_FIELDS = Object.keys(videoSchema.shape);

/** Reads of the mirrored videos (the sync writes them in bulk: catalog-repository). */
export const createVideoRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(VIDEO_UID);

  return {
    /** The available videos of these channels, by channel then position. */
    availableOf: async (channelKeys: string[]) =>
      (await query().findMany({
        select: [...PUBLIC_FIELDS, 'channelKey'],
        where: { channelKey: { $in: channelKeys }, availability: 'available' },
        orderBy: [{ channelKey: 'asc' }, { position: 'asc' }],
      })) as (PublicVideo & { channelKey: string })[],

    /** How many available videos each of these channels has (absent: none), in one grouped query. */
    async availableCounts(channelKeys: string[]) {
      const table = tableOf(strapi, VIDEO_UID);
      const rows: { key: string; count: number | string }[] = await strapi.db
        .connection(table.name)
        .select(`${table.column('channelKey')} as key`)
        .count({ count: '*' })
        .whereIn(table.column('channelKey'), channelKeys)
        .andWhere(table.column('availability'), 'available')
        .groupBy(table.column('channelKey'));
      return new Map(rows.map((row) => [row.key, Number(row.count)]));
    },

    /** Every video of a channel, removed ones too, by position. */
    ofChannel: async (idChannel: string) =>
      (await query().findMany({
        select: [...PUBLIC_FIELDS, 'availability'],
        where: { channelKey: idChannel },
        orderBy: { position: 'asc' },
      })) as (PublicVideo & { availability: Availability })[],

    find: async (videoId: string) =>
      (await query().findOne({ select: ['channelKey', 'availability'], where: { videoId } })) as { channelKey: string; availability: Availability } | null,

    /** The whole row, as the Document Service guard compares an edit with it. */
    findByDocumentId: async (documentId: string) => (await query().findOne({ where: { documentId } })) as Record<string, unknown> | null,
  };
};
