import type { ConnectionTest, SettingsReply, SettingsUpdate } from '../types';
import { apiPath } from './paths';
import { useApiMutation, useApiQuery } from './useApi';

/** Only for admins with settings.read (`enabled`): the route answers 403 to the others. */
export const useSettings = (enabled = true) =>
  useApiQuery(
    'settings',
    async (client) => (await client.get<{ data: SettingsReply }>(apiPath('/settings'))).data.data,
    enabled
  );

export const useSaveSettings = () =>
  useApiMutation(
    async (client, changes: SettingsUpdate) =>
      (await client.put<{ data: SettingsReply }>(apiPath('/settings'), changes)).data.data
  );

/** Logs in to Osteocom with the saved settings. */
export const useTestConnection = () =>
  useApiMutation(
    async (client, _vars: void) =>
      (await client.post<{ data: ConnectionTest }>(apiPath('/settings/test-connection'))).data.data
  );
