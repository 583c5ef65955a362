import type { FetchClient } from '@strapi/strapi/admin';
import type { DataOf, BodyOf } from '../../../shared/contracts/common';
import type { eraseCustomer, findCustomer, searchCustomers } from '../../../shared/contracts/customers';
import type { Paged, SiteUser } from '../types';
import { ACCESS_TAGS, dataOf, FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

const customersApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomCustomers: builder.query<Paged<DataOf<typeof searchCustomers>[number]>, BodyOf<typeof searchCustomers>>({
      // POST, not GET ?q=: a search is often an email, and URLs are written to the request log.
      query: (query) => ({
        url: apiPath('/customers/search'),
        method: 'POST',
        data: { ...query, q: query.q?.trim() || undefined },
      }),
      transformResponse: toPaged<DataOf<typeof searchCustomers>[number]>,
      providesTags: [TAG.customers],
    }),
    osteocomCustomer: builder.query<DataOf<typeof findCustomer>, string>({
      query: (userId) => apiPath(`/customers/${encodeURIComponent(userId)}`),
      transformResponse: dataOf<DataOf<typeof findCustomer>>,
      providesTags: [TAG.customers],
    }),
    /** Blanks the customer's email, name and surname everywhere the plugin holds them (GDPR art. 17). */
    osteocomEraseCustomer: builder.mutation<DataOf<typeof eraseCustomer>, string>({
      query: (userId) => ({
        url: apiPath(`/customers/${encodeURIComponent(userId)}/erase`),
        method: 'POST',
      }),
      transformResponse: dataOf<DataOf<typeof eraseCustomer>>,
      invalidatesTags: ACCESS_TAGS,
    }),
  }),
});

export const { useOsteocomEraseCustomerMutation: useEraseCustomer } = customersApi;

export const useCustomers = (query: BodyOf<typeof searchCustomers>) =>
  customersApi.useOsteocomCustomersQuery(query, FRESH);

export const useCustomer = (userId: string) => customersApi.useOsteocomCustomerQuery(userId, FRESH);

/** The file name the server's Content-Disposition gives the export. */
export const exportFileName = (userId: string) => `osteocom-customer-${userId}.json`;

/**
 * Everything the plugin holds about the customer (GDPR art. 15), as the server's JSON document:
 * read through the admin's fetch client (its session, its error messages), saved by the caller.
 */
export const fetchCustomerExport = async (client: FetchClient, userId: string) => {
  const { data } = await client.get<unknown>(
    apiPath(`/customers/${encodeURIComponent(userId)}/export`)
  );
  return JSON.stringify(data, null, 2);
};

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
