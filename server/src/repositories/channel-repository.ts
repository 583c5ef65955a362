import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { channelSchema, type AdminChannel as AdminReplyChannel, type Availability, type Channel } from '../../../shared/contracts/catalog';
import { pageWindow } from '../utils/pagination';

export const CHANNEL_UID = 'plugin::osteocom.channel';

/** What the public content API shows of a channel: the contract's fields but the videos (joined by the service). */
type PublicChannel = Omit<Channel, 'videos'>;

/** What the admin lists of a channel, before the service names `availability` `status` and counts the videos. */
type AdminChannel = Omit<AdminReplyChannel, 'status' | 'videoCount'> & { availability: Availability };

const PUBLIC_FIELDS = Object.keys(channelSchema.omit({ videos: true }).shape);
const ADMIN_FIELDS = [...new Set([...PUBLIC_FIELDS, 'id', 'documentId', 'availability', 'lastSyncedAt'])];
const BY_TITLE = [{ title: 'asc' }, { id: 'asc' }];

/** Reads of the mirrored channels (the sync writes them in bulk: catalog-repository). */
export const createChannelRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(CHANNEL_UID);

  const page = async <T>(fields: string[], where: Record<string, unknown>, pagination: Pagination) => {
    const [rows, total] = await Promise.all([query().findMany({ select: fields, where, orderBy: BY_TITLE, ...pageWindow(pagination) }), query().count({ where })]);
    return { rows: rows as T[], total };
  };

  return {
    /** A page of the available channels, by title. */
    pageAvailable: (pagination: Pagination) => page<PublicChannel>(PUBLIC_FIELDS, { availability: 'available' }, pagination),

    findAvailable: async (idChannel: string) =>
      (await query().findOne({ select: PUBLIC_FIELDS, where: { idChannel, availability: 'available' } })) as PublicChannel | null,

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
      const rows = (await query().findMany({ select: ['idChannel', 'title'], where: { idChannel: { $in: [...new Set(ids)] } } })) as Pick<PublicChannel, 'idChannel' | 'title'>[];
      return new Map(rows.map((row) => [row.idChannel, row.title]));
    },

    /** Prices by idChannel of those available (no price: 0). */
    async availablePrices(ids: string[]) {
      const rows = (await query().findMany({ select: ['idChannel', 'price'], where: { idChannel: { $in: ids }, availability: 'available' } })) as Pick<PublicChannel, 'idChannel' | 'price'>[];
      return new Map(rows.map((row) => [row.idChannel, row.price ?? 0]));
    },

    /** The whole row, as the Document Service guard compares an edit with it. */
    findByDocumentId: async (documentId: string) => (await query().findOne({ where: { documentId } })) as Record<string, unknown> | null,
  };
};
