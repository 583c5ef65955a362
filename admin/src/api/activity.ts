import type { AuditEvent, Paged, SyncRun } from '../types';
import { FRESH, osteocomApi, TAG, toPaged } from './osteocomApi';
import { apiPath } from './paths';

interface PageQuery {
  page: number;
  pageSize: number;
}

const activityApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomSyncRuns: builder.query<Paged<SyncRun>, PageQuery>({
      query: (params) => ({ url: apiPath('/sync-runs'), config: { params } }),
      transformResponse: toPaged<SyncRun>,
      providesTags: [TAG.syncRuns],
    }),
    osteocomAuditEvents: builder.query<Paged<AuditEvent>, PageQuery & { userId?: string }>({
      query: ({ userId, ...params }) => ({
        url: apiPath('/audit-events'),
        config: { params: { ...params, userId: userId?.trim() || undefined } },
      }),
      transformResponse: toPaged<AuditEvent>,
      providesTags: [TAG.auditEvents],
    }),
  }),
});

export const useSyncRuns = (page: number, pageSize: number) =>
  activityApi.useOsteocomSyncRunsQuery({ page, pageSize }, FRESH);

export const useAuditEvents = (page: number, pageSize: number, userId?: string) =>
  activityApi.useOsteocomAuditEventsQuery({ page, pageSize, userId }, FRESH);
