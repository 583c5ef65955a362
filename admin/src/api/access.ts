import type { authorize, pause, resend, resendAttention, resume, revoke } from '../../../shared/contracts/access';
import type { BodyOf, DataOf } from '../../../shared/contracts/common';
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
    osteocomAuthorize: builder.mutation<DataOf<typeof authorize>, BodyOf<typeof authorize>>({
      query: (body) => ({ url: apiPath('/authorizations'), method: 'POST', data: body }),
      transformResponse: dataOf<DataOf<typeof authorize>>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /** `state` is `revoked` (200) or `pending` (access ended locally, Osteocom call queued, 202). */
    osteocomRevoke: builder.mutation<DataOf<typeof revoke>, BodyOf<typeof revoke>>({
      query: (body) => ({ url: apiPath('/revocations'), method: 'POST', data: body }),
      transformResponse: dataOf<DataOf<typeof revoke>>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /** `state` is `paused` (200) or `pending` (access ended here, Osteocom's revocation queued, 202). */
    osteocomPause: builder.mutation<DataOf<typeof pause>, BodyOf<typeof pause>>({
      query: (body) => ({ url: apiPath('/pauses'), method: 'POST', data: body }),
      transformResponse: dataOf<DataOf<typeof pause>>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /** `state` is `active` (200) or `pending` (the outbox retries, 202). */
    osteocomResume: builder.mutation<DataOf<typeof resume>, BodyOf<typeof resume>>({
      query: (body) => ({ url: apiPath('/resumptions'), method: 'POST', data: body }),
      transformResponse: dataOf<DataOf<typeof resume>>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /**
     * Sends an entitlement's current intent (authorize or revoke) to Osteocom again, now: `state`
     * as for the call it repeats; a refusal rejects with Osteocom's code and message.
     */
    osteocomResend: builder.mutation<DataOf<typeof resend>, BodyOf<typeof resend>>({
      query: (body) => ({ url: apiPath('/entitlements/resend'), method: 'POST', data: body }),
      transformResponse: dataOf<DataOf<typeof resend>>,
      invalidatesTags: ACCESS_TAGS,
    }),
    /** "Re-send all": every row of Needs attention re-sent, one after another; the counts of how each ended. */
    osteocomResendAttention: builder.mutation<DataOf<typeof resendAttention>, void>({
      query: () => ({ url: apiPath('/entitlements/resend-attention'), method: 'POST', data: {} }),
      transformResponse: dataOf<DataOf<typeof resendAttention>>,
      invalidatesTags: ACCESS_TAGS,
    }),
  }),
});

export const {
  useOsteocomAuthorizeMutation: useAuthorize,
  useOsteocomRevokeMutation: useRevoke,
  useOsteocomResendMutation: useResend,
  useOsteocomPauseMutation: usePause,
  useOsteocomResumeMutation: useResume,
  useOsteocomResendAttentionMutation: useResendAttention,
} = accessApi;
