import type { FetchClient } from '@strapi/strapi/admin';
import type { DataOf, QueryOf } from '../../../shared/contracts/common';
import type { exportEntitlements } from '../../../shared/contracts/members-export';
import type { findEntitlements } from '../../../shared/contracts/entitlements';
import type { Paged } from '../types';
import { FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

const entitlementsApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomNeedsAttention: builder.query<
      Paged<DataOf<typeof findEntitlements>[number]>,
      { page: number; pageSize: number }
    >({
      query: (params) => ({
        url: apiPath('/entitlements'),
        config: { params: { attention: 'true', ...params } },
      }),
      transformResponse: toPaged<DataOf<typeof findEntitlements>[number]>,
      providesTags: [TAG.entitlements],
    }),
    osteocomExpiringSoon: builder.query<
      Paged<DataOf<typeof findEntitlements>[number]>,
      { days: number; page: number; pageSize: number }
    >({
      query: ({ days, ...params }) => ({
        url: apiPath('/entitlements'),
        config: { params: { expiringWithinDays: days, ...params } },
      }),
      transformResponse: toPaged<DataOf<typeof findEntitlements>[number]>,
      providesTags: [TAG.entitlements],
    }),
  }),
});

/** Entitlements an editor should look at: flagged for reconciliation, failed, or unconfirmed too long. */
export const useNeedsAttention = (page: number, pageSize: number) =>
  entitlementsApi.useOsteocomNeedsAttentionQuery({ page, pageSize }, FRESH);

/** Active or pending accesses that end within `days`, soonest first. */
export const useExpiringSoon = (days: number, page: number, pageSize: number) =>
  entitlementsApi.useOsteocomExpiringSoonQuery({ days, page, pageSize }, FRESH);

/**
 * The members export as the server writes it (a CSV file), through the admin's fetch client (its
 * session); a refusal is thrown as the server's `error` object, for `apiErrorOf`.
 */
export const fetchMembersExport = async (
  client: FetchClient,
  query: QueryOf<typeof exportEntitlements>
) => {
  const params = Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== '')
  );
  const { data, status } = await client.get<Blob>(apiPath('/entitlements/export'), {
    params,
    responseType: 'blob',
    validateStatus: () => true,
  });
  if (status !== 200) throw JSON.parse(await data.text()).error;
  return data;
};
