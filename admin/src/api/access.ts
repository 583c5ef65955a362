import type { AccessResult, AuthorizeBody, RevokeBody } from '../types';
import { apiPath } from './paths';
import { useApiMutation } from './useApi';

/**
 * `state` is `active` (Osteocom took it, 200), `partial` (Osteocom refused some products, 200) or
 * `pending` (queued for a retry, 202).
 */
export const useAuthorize = () =>
  useApiMutation(
    async (client, body: AuthorizeBody) =>
      (await client.post<{ data: AccessResult }>(apiPath('/authorizations'), body)).data.data
  );

/** `state` is `revoked` (200) or `pending` (access ended locally, Osteocom call queued, 202). */
export const useRevoke = () =>
  useApiMutation(
    async (client, body: RevokeBody) =>
      (await client.post<{ data: AccessResult }>(apiPath('/revocations'), body)).data.data
  );

/**
 * Sends an entitlement's current intent (authorize or revoke) to Osteocom again, now: `state` as
 * for the call it repeats; a refusal rejects with Osteocom's code and message.
 */
export const useResend = () =>
  useApiMutation(
    async (client, body: RevokeBody) =>
      (await client.post<{ data: AccessResult }>(apiPath('/entitlements/resend'), body)).data.data
  );
