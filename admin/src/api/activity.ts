import type { AuditEvent, Paged, SyncRun } from '../types';
import { apiPath } from './paths';
import { useApiQuery } from './useApi';

interface PagedReply<T> {
  data: T[];
  meta: { pagination: Paged<T>['pagination'] };
}

export const useSyncRuns = (page: number, pageSize: number) =>
  useApiQuery(`sync-runs:${page}:${pageSize}`, async (client): Promise<Paged<SyncRun>> => {
    const { data } = await client.get<PagedReply<SyncRun>>(apiPath('/sync-runs'), {
      params: { page, pageSize },
    });
    return { results: data.data, pagination: data.meta.pagination };
  });

export const useAuditEvents = (page: number, pageSize: number, userId?: string) =>
  useApiQuery(
    `audit-events:${page}:${pageSize}:${userId ?? ''}`,
    async (client): Promise<Paged<AuditEvent>> => {
      const { data } = await client.get<PagedReply<AuditEvent>>(apiPath('/audit-events'), {
        params: { page, pageSize, userId: userId?.trim() || undefined },
      });
      return { results: data.data, pagination: data.meta.pagination };
    }
  );
