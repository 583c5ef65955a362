import type { FetchClient } from '@strapi/strapi/admin';
import type { CustomerDetail, CustomerQuery, CustomerSummary, Paged, SiteUser } from '../types';
import { dataOf, FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

const customersApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomCustomers: builder.query<Paged<CustomerSummary>, CustomerQuery>({
      query: (query) => ({
        url: apiPath('/customers'),
        config: { params: { ...query, q: query.q?.trim() || undefined } },
      }),
      transformResponse: toPaged<CustomerSummary>,
      providesTags: [TAG.customers],
    }),
    osteocomCustomer: builder.query<CustomerDetail, string>({
      query: (userId) => apiPath(`/customers/${encodeURIComponent(userId)}`),
      transformResponse: dataOf<CustomerDetail>,
      providesTags: [TAG.customers],
    }),
  }),
});

export const useCustomers = (query: CustomerQuery) =>
  customersApi.useOsteocomCustomersQuery(query, FRESH);

export const useCustomer = (userId: string) => customersApi.useOsteocomCustomerQuery(userId, FRESH);

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
