import type { BodyOf, DataOf } from '../../../shared/contracts/common';
import type { getWebhookEvents, updateWebhookEvents } from '../../../shared/contracts/webhook-events';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const webhookEventsApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomWebhookEvents: builder.query<DataOf<typeof getWebhookEvents>, void>({
      query: () => apiPath('/webhook-events'),
      transformResponse: dataOf<DataOf<typeof getWebhookEvents>>,
      providesTags: [TAG.webhookEvents],
    }),
    /** Sets one webhook's plugin events (its entry and media events stay); audited. */
    osteocomSubscribeWebhook: builder.mutation<
      DataOf<typeof updateWebhookEvents>,
      { id: string } & BodyOf<typeof updateWebhookEvents>
    >({
      query: ({ id, events }) => ({ url: apiPath(`/webhook-events/${id}`), method: 'PUT', data: { events } }),
      transformResponse: dataOf<DataOf<typeof updateWebhookEvents>>,
      invalidatesTags: [TAG.webhookEvents, TAG.auditEvents],
    }),
  }),
});

/** Webhooks are created in Settings → Webhooks meanwhile: loaded again on every visit. */
export const useWebhookEvents = () =>
  webhookEventsApi.useOsteocomWebhookEventsQuery(undefined, FRESH);

export const { useOsteocomSubscribeWebhookMutation: useSubscribeWebhook } = webhookEventsApi;
