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

export const { useOsteocomSyncNowMutation: useSyncNow } = overviewApi;
