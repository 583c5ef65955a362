import type { bulkAuthorize, bulkValidate } from '../../../shared/contracts/bulk';
import type { BodyOf, DataOf } from '../../../shared/contracts/common';
import { ACCESS_TAGS, osteocomApi } from './osteocomApi';
import { apiPath } from './paths';

/** POST /osteocom/authorizations/bulk: one result per row, in order (never all or nothing). */
const bulkApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomBulkAuthorize: builder.mutation<DataOf<typeof bulkAuthorize>['results'], BodyOf<typeof bulkAuthorize>['rows']>({
      query: (rows) => ({ url: apiPath('/authorizations/bulk'), method: 'POST', data: { rows } }),
      transformResponse: ({ data }: { data: DataOf<typeof bulkAuthorize> }) => data.results,
      invalidatesTags: ACCESS_TAGS,
    }),
    /** POST /osteocom/authorizations/bulk/validate: the server's dry run, nothing written. */
    osteocomBulkValidate: builder.mutation<DataOf<typeof bulkValidate>['results'], BodyOf<typeof bulkValidate>['rows']>({
      query: (rows) => ({ url: apiPath('/authorizations/bulk/validate'), method: 'POST', data: { rows } }),
      transformResponse: ({ data }: { data: DataOf<typeof bulkValidate> }) => data.results,
    }),
  }),
});

export const { useOsteocomBulkAuthorizeMutation: useBulkAuthorize, useOsteocomBulkValidateMutation: useBulkValidate } = bulkApi;
