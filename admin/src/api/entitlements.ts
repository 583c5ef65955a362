import type { ListedEntitlement, Paged } from '../types';
import { apiPath } from './paths';
import { useApiQuery } from './useApi';

/** Entitlements an editor should look at: flagged for reconciliation, failed, or unconfirmed too long. */
export const useNeedsAttention = (page: number, pageSize: number) =>
  useApiQuery(
    `entitlements:attention:${page}:${pageSize}`,
    async (client): Promise<Paged<ListedEntitlement>> => {
      const { data } = await client.get<{
        data: ListedEntitlement[];
        meta: { pagination: Paged<ListedEntitlement>['pagination'] };
      }>(apiPath('/entitlements'), { params: { attention: 'true', page, pageSize } });
      return { results: data.data, pagination: data.meta.pagination };
    }
  );
