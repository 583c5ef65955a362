import type { EncryptionStatus } from '../types';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const encryptionApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomEncryption: builder.query<EncryptionStatus, void>({
      query: () => apiPath('/encryption'),
      transformResponse: dataOf<EncryptionStatus>,
      providesTags: [TAG.encryption],
    }),
    /** Starts a re-encryption pass; rejects with 409 KEY_ROTATION_ALREADY_RUNNING when one is going on. */
    osteocomRotateKeys: builder.mutation<EncryptionStatus, void>({
      query: () => ({ url: apiPath('/encryption/rotate'), method: 'POST' }),
      transformResponse: dataOf<EncryptionStatus>,
      invalidatesTags: [TAG.encryption, TAG.auditEvents],
    }),
  }),
});

export const useEncryptionStatus = () => encryptionApi.useOsteocomEncryptionQuery(undefined, FRESH);

export const { useOsteocomRotateKeysMutation: useRotateKeys } = encryptionApi;
