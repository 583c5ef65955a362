import type { bulkAuthorize } from '../../../shared/contracts/bulk';
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
  }),
});

export const { useOsteocomBulkAuthorizeMutation: useBulkAuthorize } = bulkApi;
