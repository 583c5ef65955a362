import type { Overview, SyncRun } from '../types';
import { apiPath } from './paths';
import { useApiMutation, useApiQuery } from './useApi';

export const useOverview = () =>
  useApiQuery(
    'overview',
    async (client) => (await client.get<{ data: Overview }>(apiPath('/overview'))).data.data
  );

/** Runs a sync and waits for it to finish; rejects with 409 SYNC_ALREADY_RUNNING when one is going on. */
export const useSyncNow = () =>
  useApiMutation(
    async (client, _vars: void) =>
      (await client.post<{ data: SyncRun }>(apiPath('/sync?wait=true'))).data.data
  );
