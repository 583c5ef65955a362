import type { AccessResult, AuthorizeBody, RevokeBody } from '../types';
import { ACCESS_TAGS, dataOf, osteocomApi } from './osteocomApi';
import { apiPath } from './paths';

/*
 * Each call invalidates what it may have changed, whether it succeeded or not: a refusal marks the
 * entitlement failed.
 */
const accessApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    /**
     * `state` is `active` (Osteocom took it, 200), `partial` (Osteocom refused some products, 200)
     * or `pending` (queued for a retry, 202).
     */
    osteocomAuthorize: builder.mutation<AccessResult, AuthorizeBody>({
      query: (body) => ({ url: apiPath('/authorizations'), method: 'POST', data: body }),
      transformResponse: dataOf<AccessResult>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /** `state` is `revoked` (200) or `pending` (access ended locally, Osteocom call queued, 202). */
    osteocomRevoke: builder.mutation<AccessResult, RevokeBody>({
      query: (body) => ({ url: apiPath('/revocations'), method: 'POST', data: body }),
      transformResponse: dataOf<AccessResult>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /**
     * Sends an entitlement's current intent (authorize or revoke) to Osteocom again, now: `state`
     * as for the call it repeats; a refusal rejects with Osteocom's code and message.
     */
    osteocomResend: builder.mutation<AccessResult, RevokeBody>({
      query: (body) => ({ url: apiPath('/entitlements/resend'), method: 'POST', data: body }),
      transformResponse: dataOf<AccessResult>,
      invalidatesTags: ACCESS_TAGS,
    }),
  }),
});

export const {
  useOsteocomAuthorizeMutation: useAuthorize,
  useOsteocomRevokeMutation: useRevoke,
  useOsteocomResendMutation: useResend,
} = accessApi;
