import type { DataOf } from '../../../shared/contracts/common';
import type { getOverview } from '../../../shared/contracts/overview';
import type { startSync } from '../../../shared/contracts/sync';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const overviewApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomOverview: builder.query<DataOf<typeof getOverview>, void>({
      query: () => apiPath('/overview'),
      transformResponse: dataOf<DataOf<typeof getOverview>>,
      providesTags: [TAG.overview],
    }),
    /**
     * Runs a sync and waits for it to finish; rejects with 409 SYNC_ALREADY_RUNNING when one is
     * going on. The catalog, the runs, the last run on the overview and the audit trail change.
     */
    osteocomSyncNow: builder.mutation<DataOf<typeof startSync>, void>({
      query: () => ({ url: apiPath('/sync?wait=true'), method: 'POST' }),
      transformResponse: dataOf<DataOf<typeof startSync>>,
      invalidatesTags: [TAG.channels, TAG.syncRuns, TAG.overview, TAG.auditEvents],
    }),
  }),
});

export const useOverview = () => overviewApi.useOsteocomOverviewQuery(undefined, FRESH);

/**
 * The site's currency (setting `currency`), which every price is stored and shown in: from the
 * overview's reply, cached (saving the settings loads it again); undefined until it has come.
 */
export const useCurrency = () =>
  overviewApi.useOsteocomOverviewQuery(undefined, {
    selectFromResult: ({ data }) => ({ currency: data?.currency }),
  }).currency;

export const { useOsteocomSyncNowMutation: useSyncNow } = overviewApi;
