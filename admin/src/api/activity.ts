import type { findAuditEvents } from '../../../shared/contracts/audit-events';
import type { DataOf, QueryOf } from '../../../shared/contracts/common';
import type { findSyncRuns } from '../../../shared/contracts/sync';
import type { Paged } from '../types';
import { FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

const activityApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomSyncRuns: builder.query<Paged<DataOf<typeof findSyncRuns>[number]>, QueryOf<typeof findSyncRuns>>({
      query: (params) => ({ url: apiPath('/sync-runs'), config: { params } }),
      transformResponse: toPaged<DataOf<typeof findSyncRuns>[number]>,
      providesTags: [TAG.syncRuns],
    }),
    osteocomAuditEvents: builder.query<Paged<DataOf<typeof findAuditEvents>[number]>, QueryOf<typeof findAuditEvents>>({
      query: ({ userId, ...params }) => ({
        url: apiPath('/audit-events'),
        config: { params: { ...params, userId: userId?.trim() || undefined } },
      }),
      transformResponse: toPaged<DataOf<typeof findAuditEvents>[number]>,
      providesTags: [TAG.auditEvents],
    }),
  }),
});

export const useSyncRuns = (page: number, pageSize: number) =>
  activityApi.useOsteocomSyncRunsQuery({ page, pageSize }, FRESH);

export const useAuditEvents = (page: number, pageSize: number, userId?: string) =>
  activityApi.useOsteocomAuditEventsQuery({ page, pageSize, userId }, FRESH);
