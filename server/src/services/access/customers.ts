import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../../errors';
import type { PaginationQuery as Pagination } from '../../../../shared/contracts/common';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { paginate } from '../../utils/pagination';
import type { MemberFilter, MemberQuery, MemberStatus } from '../../../../shared/contracts/members';
import { createMemberRepository, type MemberWhere } from '../../repositories/member-repository';
import { endOfDay } from '../../utils/zoned-time';
import { getService } from '../../utils/get-service';

/** The member list's status of a row: `expired` and `revoked` told apart as the list's filter does (member-repository.ts). */
export const memberStatusOf = (row: { status: string; accessUntil: string | null; revokedAt: string | null }, now: number): MemberStatus => {
  const end = row.accessUntil ? Date.parse(row.accessUntil) : null;
  const endedByTime = end !== null && end <= now && (row.status === 'active' || row.status === 'revoked') && (!row.revokedAt || end <= Date.parse(row.revokedAt));
  return endedByTime ? 'expired' : (row.status as MemberStatus);
};

/** Admin reads of customers (with their entitlements) and an end user's own entitlements; the access key is never selected. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);
  const members = createMemberRepository(strapi);

  /** The site's zone: where a day picked in the admin begins and ends (setting `syncTz`, the zone the site's schedule runs in). */
  const siteZone = async () => (await getService(strapi, 'settings').get()).values.syncTz;

  /** A filter as the database compares it: `endsBy` read as the end of that day in the site's zone. */
  const memberWhere = async ({ endsBy, ...filter }: MemberFilter): Promise<MemberWhere> =>
    endsBy ? { ...filter, endsByMs: endOfDay(endsBy, await siteZone()).getTime() } : filter;

  return {
    async list(query: Pagination & { q?: string }) {
      const { rows, total } = await customers.page(query.q, query);
      const statuses = await entitlements.statusesOf(rows.map((row) => row.userId));
      return {
        results: rows.map((row) => {
          const own = statuses.filter((e) => e.customerKey === row.userId);
          return { ...row, activeChannels: own.filter((e) => e.status === 'active').map((e) => e.channelKey), pending: own.filter((e) => e.status === 'pending').length, failed: own.filter((e) => e.status === 'failed').length };
        }),
        pagination: paginate(query, total),
      };
    },

    siteZone,
    memberWhere,

    /** The member list: a page of customer × channel rows, filtered, sorted and paged by the database. */
    async members(query: MemberQuery) {
      const { sort, order, page, pageSize, ...filter } = query;
      const now = Date.now();
      const { ids, total } = await members.page(await memberWhere(filter), now, sort, order, (page - 1) * pageSize, pageSize);
      const rows = await entitlements.byIds(ids);
      // An empty page looks nothing up: an empty IN list is a scan of the whole table on some databases.
      const [profiles, titles] = rows.length
        ? await Promise.all([customers.profilesOf([...new Set(rows.map((row) => row.customerKey))]), channels.titles(rows.map((row) => row.channelKey))])
        : [new Map(), new Map()];
      return {
        results: rows.map((row) => {
          const profile = profiles.get(row.customerKey);
          return {
            userId: row.customerKey,
            email: profile?.email ?? null,
            name: profile?.name ?? null,
            surname: profile?.surname ?? null,
            channelId: row.channelKey,
            channelTitle: titles.get(row.channelKey) ?? null,
            status: memberStatusOf(row, now),
            price: row.price,
            accessUntil: row.accessUntil,
            revokeReason: row.revokeReason ?? null,
            pendingOperation: row.pendingOperation,
            updatedAt: row.updatedAt,
          };
        }),
        pagination: paginate({ page, pageSize }, total),
      };
    },

    /** What an end user may see of their own access: never the access key. */
    async entitlementsWithTitles(userId: string) {
      const rows = await entitlements.listOwn(userId);
      const titles = await channels.titles(rows.map((row) => row.channelKey));
      return rows.map(({ channelKey, ...row }) => ({ channelId: channelKey, channelTitle: titles.get(channelKey) ?? null, ...row }));
    },

    async get(userId: string) {
      const customer = await customers.findVisible(userId);
      if (!customer) throw new OsteocomError('CUSTOMER_NOT_FOUND', `No customer "${userId}".`);
      const rows = await entitlements.listFor(userId);
      // Titles joined here so the admin needs no copy of the catalog to name the channels.
      const titles = await channels.titles(rows.map((row) => row.channelKey));
      return { ...customer, entitlements: rows.map((row) => ({ ...row, channelTitle: titles.get(row.channelKey) ?? null })) };
    },
  };
};
