import type { EncryptionStatus } from './encryption-status';
import { apiPath } from './paths';
import { useApiMutation, useApiQuery } from './useApi';

export const useEncryptionStatus = () =>
  useApiQuery(
    'encryption',
    async (client) =>
      (await client.get<{ data: EncryptionStatus }>(apiPath('/encryption'))).data.data
  );

/** Starts a re-encryption pass; rejects with 409 KEY_ROTATION_ALREADY_RUNNING when one is going on. */
export const useRotateKeys = () =>
  useApiMutation(
    async (client, _vars: void) =>
      (await client.post<{ data: EncryptionStatus }>(apiPath('/encryption/rotate'))).data.data
  );
