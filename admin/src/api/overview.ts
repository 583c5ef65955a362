import type { Overview, SyncRun } from '../types';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const overviewApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomOverview: builder.query<Overview, void>({
      query: () => apiPath('/overview'),
      transformResponse: dataOf<Overview>,
      providesTags: [TAG.overview],
    }),
    /**
     * Runs a sync and waits for it to finish; rejects with 409 SYNC_ALREADY_RUNNING when one is
     * going on. The catalog, the runs, the last run on the overview and the audit trail change.
     */
    osteocomSyncNow: builder.mutation<SyncRun, void>({
      query: () => ({ url: apiPath('/sync?wait=true'), method: 'POST' }),
      transformResponse: dataOf<SyncRun>,
      invalidatesTags: [TAG.channels, TAG.syncRuns, TAG.overview, TAG.auditEvents],
    }),
  }),
});

export const useOverview = () => overviewApi.useOsteocomOverviewQuery(undefined, FRESH);

export const { useOsteocomSyncNowMutation: useSyncNow } = overviewApi;
