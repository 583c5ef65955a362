import type { DataOf } from '../../../shared/contracts/common';
import type { getEncryptionStatus, rotateKeys } from '../../../shared/contracts/encryption';
import { dataOf, FRESH, osteocomApi, TAG } from './osteocomApi';
import { apiPath } from './paths';

const encryptionApi = osteocomApi.injectEndpoints({
  endpoints: (builder) => ({
    osteocomEncryption: builder.query<DataOf<typeof getEncryptionStatus>, void>({
      query: () => apiPath('/encryption'),
      transformResponse: dataOf<DataOf<typeof getEncryptionStatus>>,
      providesTags: [TAG.encryption],
    }),
    /** Starts a re-encryption pass; rejects with 409 KEY_ROTATION_ALREADY_RUNNING when one is going on. */
    osteocomRotateKeys: builder.mutation<DataOf<typeof rotateKeys>, void>({
      query: () => ({ url: apiPath('/encryption/rotate'), method: 'POST' }),
      transformResponse: dataOf<DataOf<typeof rotateKeys>>,
      invalidatesTags: [TAG.encryption, TAG.auditEvents],
    }),
  }),
});

export const useEncryptionStatus = () => encryptionApi.useOsteocomEncryptionQuery(undefined, FRESH);

export const { useOsteocomRotateKeysMutation: useRotateKeys } = encryptionApi;
