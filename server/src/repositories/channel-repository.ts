import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { channelFieldsSchema, type AdminChannel as AdminReplyChannel, type Availability, type ChannelFields } from '../../../shared/contracts/catalog';
import { pageWindow } from '../utils/pagination';

export const CHANNEL_UID = 'plugin::osteocom.channel';

/** What the admin lists of a channel, before the service names `availability` `status` and counts the videos. */
type AdminChannel = Omit<AdminReplyChannel, 'status' | 'videoCount'> & { availability: Availability };

const ADMIN_FIELDS = [...Object.keys(channelFieldsSchema.shape), 'id', 'documentId', 'availability', 'lastSyncedAt'];
const BY_TITLE = [{ title: 'asc' }, { id: 'asc' }];

/** Reads of the mirrored channels (the sync writes them in bulk: catalog-repository). */
export const createChannelRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(CHANNEL_UID);

  const page = async <T>(fields: string[], where: Record<string, unknown>, pagination: Pagination) => {
    const [rows, total] = await Promise.all([query().findMany({ select: fields, where, orderBy: BY_TITLE, ...pageWindow(pagination) }), query().count({ where })]);
    return { rows: rows as T[], total };
  };

  return {
    /** A page of every channel, by title; `q` searches titles and ids. */
    pageForAdmin: (filter: { q?: string; status?: Availability }, pagination: Pagination) =>
      page<AdminChannel>(
        ADMIN_FIELDS,
        {
          ...(filter.status ? { availability: filter.status } : {}),
          ...(filter.q ? { $or: [{ title: { $containsi: filter.q } }, { idChannel: { $containsi: filter.q } }] } : {}),
        },
        pagination
      ),

    exists: async (idChannel: string) => Boolean(await query().findOne({ select: ['id'], where: { idChannel } })),

    /** Titles by idChannel, of those that exist. */
    async titles(ids: string[]) {
      const rows = (await query().findMany({ select: ['idChannel', 'title'], where: { idChannel: { $in: [...new Set(ids)] } } })) as Pick<ChannelFields, 'idChannel' | 'title'>[];
      return new Map(rows.map((row) => [row.idChannel, row.title]));
    },

    /**
     * The available channels a bulk row's reference may name: by id, slug or exact title. The
     * caller decides what each reference means (an id wins over a slug over a title).
     */
    async availableByReference(references: string[]) {
      const refs = [...new Set(references)];
      if (!refs.length) return [];
      return (await query().findMany({
        select: ['idChannel', 'slug', 'title', 'price'],
        where: { availability: 'available', $or: [{ idChannel: { $in: refs } }, { slug: { $in: refs } }, { title: { $in: refs } }] },
      })) as { idChannel: string; slug: string | null; title: string; price: number | null }[];
    },

    /** Prices by idChannel of those available (no price: 0). */
    async availablePrices(ids: string[]) {
      const rows = (await query().findMany({ select: ['idChannel', 'price'], where: { idChannel: { $in: ids }, availability: 'available' } })) as Pick<ChannelFields, 'idChannel' | 'price'>[];
      return new Map(rows.map((row) => [row.idChannel, row.price ?? 0]));
    },

    /** The whole row, as the Document Service guard compares an edit with it. */
    findByDocumentId: async (documentId: string) => (await query().findOne({ where: { documentId } })) as Record<string, unknown> | null,
  };
};
