import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { channelSchema, type Channel } from '../../../shared/contracts/catalog';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { tableOf } from '../utils/db';
import { pageWindow } from '../utils/pagination';
import { CHANNEL_UID } from './channel-repository';

/** A channel as visitors see it, without its videos (the service joins them). */
export type StorefrontChannel = Omit<Channel, 'videos'>;

const FIELDS = Object.keys(channelSchema.omit({ videos: true }).shape);

type Row = Record<string, unknown> & {
  id: number;
  cover: string | null;
  featured: boolean | null;
  siteCover?: { url: string } | null;
};

/** The editor's cover wins over Osteocom's; `featured` unset reads as not featured. */
const toStorefront = ({ id: _id, siteCover, ...row }: Row) =>
  ({
    ...row,
    featured: Boolean(row.featured),
    cover: siteCover?.url ?? row.cover,
  }) as unknown as StorefrontChannel;

/** Visitors see what is available upstream and not hidden by an editor (`listed` unset reads as listed). */
export const VISIBLE_CHANNEL = {
  availability: 'available',
  $or: [{ listed: true }, { listed: { $null: true } }],
};

/**
 * The public catalog: listed, available channels in the site's order — featured first, then the
 * editors' `position` (channels without one after those with one, on every database), then title.
 */
export const createStorefrontRepository = (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const channels = tableOf(strapi, CHANNEL_UID);
  const [id, availability, listed, featured, position, title] = [
    'id',
    'availability',
    'listed',
    'featured',
    'position',
    'title',
  ].map(channels.column);
  const query = () => strapi.db.query(CHANNEL_UID);
  const read = { select: ['id', ...FIELDS], populate: { siteCover: { select: ['url'] } } };

  const visible = () =>
    knex(channels.name)
      .where(availability, 'available')
      .andWhere((q: Knex.QueryBuilder) => q.where(listed, true).orWhereNull(listed));

  const orderedIds = async (pagination: Pagination) => {
    const { offset, limit } = pageWindow(pagination);
    const rows = (await visible()
      .select(id)
      .orderByRaw('coalesce(??, ?) desc', [featured, false])
      .orderByRaw('case when ?? is null then 1 else 0 end', [position])
      .orderBy([{ column: position }, { column: title }, { column: id }])
      .offset(offset)
      .limit(limit)) as Record<string, number>[];
    return rows.map((row) => Number(row[id]));
  };

  const findOne = async (where: Record<string, unknown>) => {
    const row = (await query().findOne({
      ...read,
      where: { ...VISIBLE_CHANNEL, ...where },
    })) as Row | null;
    return row ? toStorefront(row) : null;
  };

  return {
    async page(pagination: Pagination) {
      const [ids, [{ total }]] = await Promise.all([
        orderedIds(pagination),
        visible().count({ total: '*' }),
      ]);
      const rows = (await query().findMany({ ...read, where: { id: { $in: ids } } })) as Row[];
      const byId = new Map(rows.map((row) => [Number(row.id), row]));
      return {
        rows: ids.flatMap((rowId) => (byId.has(rowId) ? [toStorefront(byId.get(rowId)!)] : [])),
        total: Number(total),
      };
    },

    /** By Osteocom id first, then by slug. */
    find: async (idChannelOrSlug: string) =>
      (await findOne({ idChannel: idChannelOrSlug })) ?? findOne({ slug: idChannelOrSlug }),
  };
};
