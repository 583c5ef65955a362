import type { bulkRevoke } from '../../../shared/contracts/bulk';
import type { BodyOf, DataOf, ReplyOf } from '../../../shared/contracts/common';
import type { extendEntitlements, searchMembers } from '../../../shared/contracts/members';
import { ACCESS_TAGS, FRESH, TAG, dataOf, osteocomApi } from './osteocomApi';
import { apiPath } from './paths';

type MembersReply = ReplyOf<typeof searchMembers>;

/** The member list, its bulk extension and bulk revocation. */
const membersApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomMembers: builder.query<
      {
        results: MembersReply['data'];
        pagination: MembersReply['meta']['pagination'];
        timeZone: string;
      },
      BodyOf<typeof searchMembers>
    >({
      // POST, not GET ?q=: a search is often an email, and URLs are written to the request log.
      query: (query) => ({ url: apiPath('/members/search'), method: 'POST', data: query }),
      transformResponse: ({ data, meta }: MembersReply) => ({
        results: data,
        pagination: meta.pagination,
        timeZone: meta.timeZone,
      }),
      providesTags: [TAG.customers, TAG.entitlements],
    }),
    osteocomExtend: builder.mutation<
      DataOf<typeof extendEntitlements>,
      BodyOf<typeof extendEntitlements>
    >({
      query: (body) => ({ url: apiPath('/entitlements/extensions'), method: 'POST', data: body }),
      transformResponse: dataOf<DataOf<typeof extendEntitlements>>,
      invalidatesTags: ACCESS_TAGS,
    }),
    osteocomBulkRevoke: builder.mutation<
      DataOf<typeof bulkRevoke>['results'],
      BodyOf<typeof bulkRevoke>['rows']
    >({
      query: (rows) => ({ url: apiPath('/revocations/bulk'), method: 'POST', data: { rows } }),
      transformResponse: ({ data }: { data: DataOf<typeof bulkRevoke> }) => data.results,
      invalidatesTags: ACCESS_TAGS,
    }),
  }),
});

export const useMembers = (query: BodyOf<typeof searchMembers>) =>
  membersApi.useOsteocomMembersQuery(query, FRESH);
export const {
  useOsteocomExtendMutation: useExtend,
  useOsteocomBulkRevokeMutation: useBulkRevoke,
} = membersApi;
