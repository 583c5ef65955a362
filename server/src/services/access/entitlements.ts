import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../../shared/contracts/common';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { getService } from '../../utils/get-service';
import { paginate } from '../../utils/pagination';

const DAY_MS = 86_400_000;

/** The admin's lists of entitlements across customers. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);

  return {
    /**
     * Every entitlement, newest first; with `attention` those an editor should look at (flagged,
     * failed, unconfirmed too long); with `expiringWithinDays` the accesses that end by then, soonest first.
     */
    async list(query: Pagination & { attention: boolean; expiringWithinDays?: number }) {
      const { rows, total } = query.expiringWithinDays
        ? await entitlements.expiring(new Date(), new Date(Date.now() + query.expiringWithinDays * DAY_MS), query)
        : await entitlements.page(query, query.attention ? getService(strapi, 'outbox').alertCutoff() : undefined);
      const titles = await channels.titles(rows.map((row) => row.channelKey));
      return {
        results: rows.map(({ customerKey, ...row }) => ({ userId: customerKey, channelTitle: titles.get(row.channelKey) ?? null, ...row })),
        pagination: paginate(query, total),
      };
    },

    summary: () => entitlements.counts(new Date(), getService(strapi, 'outbox').alertCutoff()),
  };
};
