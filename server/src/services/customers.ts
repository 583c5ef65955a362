import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../errors';
import type { Pagination } from '../schemas/requests';
import { PUBLIC_ENTITLEMENT_FIELDS, createEntitlementRepository } from '../repositories/entitlement-repository';
import { getService } from '../utils/get-service';
import { pageWindow, paginate } from '../utils/pagination';

const CUSTOMER_UID = 'plugin::osteocom.customer';
const ENTITLEMENT_UID = 'plugin::osteocom.entitlement';
const CUSTOMER_FIELDS = ['userId', 'email', 'name', 'surname', 'marketingConsent', 'createdAt', 'updatedAt'];

const channelTitles = async (strapi: Core.Strapi, ids: string[]) => {
  const channels = (await strapi.db.query('plugin::osteocom.channel').findMany({
    select: ['idChannel', 'title'],
    where: { idChannel: { $in: [...new Set(ids)] } },
  })) as { idChannel: string; title: string }[];
  return new Map(channels.map((channel) => [channel.idChannel, channel.title]));
};

/** Admin reads of customers and their entitlements; the access key is never selected. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(query: Pagination & { q?: string }) {
    const where = query.q
      ? { $or: ['userId', 'email', 'name', 'surname'].map((field) => ({ [field]: { $containsi: query.q } })) }
      : {};
    const [rows, total] = await Promise.all([
      strapi.db.query(CUSTOMER_UID).findMany({
        select: CUSTOMER_FIELDS,
        where,
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        ...pageWindow(query),
      }) as Promise<{ userId: string }[]>,
      strapi.db.query(CUSTOMER_UID).count({ where }),
    ]);
    const entitlements = (await strapi.db.query(ENTITLEMENT_UID).findMany({
      select: ['customerKey', 'channelKey', 'status'],
      where: { customerKey: { $in: rows.map((row) => row.userId) } },
    })) as { customerKey: string; channelKey: string; status: string }[];
    return {
      results: rows.map((row) => {
        const own = entitlements.filter((e) => e.customerKey === row.userId);
        return { ...row, activeChannels: own.filter((e) => e.status === 'active').map((e) => e.channelKey), pending: own.filter((e) => e.status === 'pending').length, failed: own.filter((e) => e.status === 'failed').length };
      }),
      pagination: paginate(query, total),
    };
  },

  /** What an end user may see of their own access: never the access key. */
  async entitlementsWithTitles(userId: string) {
    const rows = (await strapi.db.query(ENTITLEMENT_UID).findMany({
      select: ['channelKey', 'status', 'authorizedAt', 'revokedAt', 'accessUntil'],
      where: { customerKey: userId },
      orderBy: { channelKey: 'asc' },
    })) as { channelKey: string; status: string; authorizedAt: string | null; revokedAt: string | null; accessUntil: string | null }[];
    const titles = await channelTitles(strapi, rows.map((row) => row.channelKey));
    return rows.map(({ channelKey, ...row }) => ({ channelId: channelKey, channelTitle: titles.get(channelKey) ?? null, ...row }));
  },

  /** Every entitlement, or with `attention` those an editor should look at (flagged, failed, unconfirmed too long); newest first. */
  async entitlements(query: Pagination & { attention: boolean }) {
    const where = query.attention ? createEntitlementRepository(strapi).attentionWhere(getService(strapi, 'outbox').alertCutoff()) : {};
    const [rows, total] = await Promise.all([
      strapi.db.query(ENTITLEMENT_UID).findMany({
        select: ['customerKey', 'operationAt', ...PUBLIC_ENTITLEMENT_FIELDS],
        where,
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        ...pageWindow(query),
      }) as Promise<{ customerKey: string; channelKey: string }[]>,
      strapi.db.query(ENTITLEMENT_UID).count({ where }),
    ]);
    const titles = await channelTitles(strapi, rows.map((row) => row.channelKey));
    return {
      results: rows.map(({ customerKey, ...row }) => ({ userId: customerKey, channelTitle: titles.get(row.channelKey) ?? null, ...row })),
      pagination: paginate(query, total),
    };
  },

  async get(userId: string) {
    const customer = await strapi.db.query(CUSTOMER_UID).findOne({ select: CUSTOMER_FIELDS, where: { userId } });
    if (!customer) throw new OsteocomError('CUSTOMER_NOT_FOUND', `No customer "${userId}".`);
    const entitlements = (await strapi.db.query(ENTITLEMENT_UID).findMany({
      select: PUBLIC_ENTITLEMENT_FIELDS,
      where: { customerKey: userId },
      orderBy: { channelKey: 'asc' },
    })) as { channelKey: string }[];
    // Titles joined here so the admin needs no copy of the catalog to name the channels.
    const titles = await channelTitles(strapi, entitlements.map((row) => row.channelKey));
    return { ...customer, entitlements: entitlements.map((row) => ({ ...row, channelTitle: titles.get(row.channelKey) ?? null })) };
  },
});
