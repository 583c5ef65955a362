import type { CustomerDetail, CustomerSummary, Paged, SiteUser } from '../types';
import { apiPath } from './paths';
import { useApiQuery } from './useApi';
import type { FetchClient } from '@strapi/strapi/admin';

export interface CustomerQuery {
  page: number;
  pageSize: number;
  q?: string;
}

export const useCustomers = (query: CustomerQuery) =>
  useApiQuery(
    `customers:${JSON.stringify(query)}`,
    async (client): Promise<Paged<CustomerSummary>> => {
      const { data } = await client.get<{
        data: CustomerSummary[];
        meta: { pagination: Paged<CustomerSummary>['pagination'] };
      }>(apiPath('/customers'), { params: { ...query, q: query.q?.trim() || undefined } });
      return { results: data.data, pagination: data.meta.pagination };
    }
  );

export const useCustomer = (userId: string) =>
  useApiQuery(
    `customer:${userId}`,
    async (client) =>
      (
        await client.get<{ data: CustomerDetail }>(
          apiPath(`/customers/${encodeURIComponent(userId)}`)
        )
      ).data.data
  );

const USERS_UID = 'plugin::users-permissions.user';

/**
 * The site's users-permissions users matching `q`, from the content-manager API (needs the
 * editor's read permission on users; without it the picker just offers nothing).
 */
export const searchSiteUsers = async (client: FetchClient, q: string): Promise<SiteUser[]> => {
  const { data } = await client.get<{ results: SiteUser[] }>(
    `/content-manager/collection-types/${USERS_UID}`,
    {
      params: { page: 1, pageSize: 10, _q: q.trim() || undefined },
    }
  );
  return data.results ?? [];
};
