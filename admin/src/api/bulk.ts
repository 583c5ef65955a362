import type { BulkAuthorizeResult, BulkAuthorizeRowInput } from '../../../shared/contracts/bulk';
import { ACCESS_TAGS, osteocomApi } from './osteocomApi';
import { apiPath } from './paths';

/** POST /osteocom/authorizations/bulk: one result per row, in order (never all or nothing). */
const bulkApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomBulkAuthorize: builder.mutation<BulkAuthorizeResult[], BulkAuthorizeRowInput[]>({
      query: (rows) => ({ url: apiPath('/authorizations/bulk'), method: 'POST', data: { rows } }),
      transformResponse: ({ data }: { data: { results: BulkAuthorizeResult[] } }) => data.results,
      invalidatesTags: ACCESS_TAGS,
    }),
  }),
});

export const { useOsteocomBulkAuthorizeMutation: useBulkAuthorize } = bulkApi;
