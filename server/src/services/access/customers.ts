import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../../errors';
import type { PaginationQuery as Pagination } from '../../../../shared/contracts/common';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { paginate } from '../../utils/pagination';

/** Admin reads of customers (with their entitlements) and an end user's own entitlements; the access key is never selected. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);

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
