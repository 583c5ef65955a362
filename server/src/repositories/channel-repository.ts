import type { Core } from '@strapi/strapi';
import type { Pagination } from '../schemas/requests';
import type { Availability } from '../services/catalog-sync/diff';
import { pageWindow } from '../utils/pagination';

export const CHANNEL_UID = 'plugin::osteocom.channel';

/** What the public content API shows of a channel. */
interface PublicChannel {
  idChannel: string;
  title: string;
  subtitle: string | null;
  htmlDescription: string | null;
  price: number | null;
  cover: string | null;
  background: string | null;
  trailer: string | null;
  authors: unknown;
}

/** What the admin lists of a channel. */
interface AdminChannel extends PublicChannel {
  id: number;
  documentId: string;
  availability: Availability;
  lastSyncedAt: string | null;
}

const PUBLIC_FIELDS = ['idChannel', 'title', 'subtitle', 'htmlDescription', 'price', 'cover', 'background', 'trailer', 'authors'];
const ADMIN_FIELDS = [...PUBLIC_FIELDS, 'id', 'documentId', 'availability', 'lastSyncedAt'];
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
