import type { BodyOf, DataOf } from '../../../shared/contracts/common';
import type { getSettings, testConnection, updateSettings } from '../../../shared/contracts/settings';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const settingsApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomSettings: builder.query<DataOf<typeof getSettings>, void>({
      query: () => apiPath('/settings'),
      transformResponse: dataOf<DataOf<typeof getSettings>>,
      providesTags: [TAG.settings],
    }),
    /**
     * Replies with the settings as saved, which replace the cached ones at once (no flash of the
     * old values). The overview shows whether the plugin is configured and when it syncs next;
     * saving is audited.
     */
    osteocomSaveSettings: builder.mutation<DataOf<typeof updateSettings>, BodyOf<typeof updateSettings>>({
      query: (changes) => ({ url: apiPath('/settings'), method: 'PUT', data: changes }),
      transformResponse: dataOf<DataOf<typeof updateSettings>>,
      async onQueryStarted(_changes, { dispatch, queryFulfilled }): Promise<void> {
        const saved = await queryFulfilled.catch(() => null);
        if (saved)
          dispatch(settingsApi.util.upsertQueryData('osteocomSettings', undefined, saved.data));
      },
      invalidatesTags: [TAG.overview, TAG.auditEvents],
    }),
    /** Logs in to Osteocom with the saved settings. */
    osteocomTestConnection: builder.mutation<DataOf<typeof testConnection>, void>({
      query: () => ({ url: apiPath('/settings/test-connection'), method: 'POST' }),
      transformResponse: dataOf<DataOf<typeof testConnection>>,
    }),
  }),
});

/** Only for admins with settings.read (`enabled`): the route answers 403 to the others. */
export const useSettings = (enabled = true) =>
  settingsApi.useOsteocomSettingsQuery(undefined, { ...FRESH, skip: !enabled });

export const {
  useOsteocomSaveSettingsMutation: useSaveSettings,
  useOsteocomTestConnectionMutation: useTestConnection,
} = settingsApi;
