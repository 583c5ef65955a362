import type { ZodError } from 'zod';
import { OsteocomError } from '../../errors';
import type { Endpoint } from './endpoints';

/** Names the first bad fields of a reply, never their values. */
export const invalidResponse = (endpoint: Endpoint, error?: ZodError) => {
  const where = error?.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
  return new OsteocomError(
    'UPSTREAM_INVALID_RESPONSE',
    where ? `Osteocom answered ${endpoint} with an unexpected shape (${where}).` : `Osteocom answered ${endpoint} with a body that is not JSON.`,
    { details: { endpoint } }
  );
};

/** The error for a final upstream status; statuses worth retrying never reach here. */
export const statusError = (endpoint: Endpoint, status: number): OsteocomError => {
  const details = { endpoint, upstreamStatus: status };
  if (status === 401 && endpoint === 'login') {
    return new OsteocomError('UPSTREAM_UNAUTHORIZED', 'Osteocom rejected the client credentials: check clientId and clientSecret in the plugin settings.', { details });
  }
  if (status === 401 && endpoint === 'videoAccess') {
    return new OsteocomError('NOT_AUTHORIZED_UPSTREAM', 'Osteocom refused this customer access to the video.', { details });
  }
  if (status === 401) {
    return new OsteocomError('UPSTREAM_UNAUTHORIZED', 'Osteocom refused the plugin\'s credentials for this call even after a fresh login.', { details });
  }
  if (endpoint === 'contentAccessAuthorization' && status === 400) {
    return new OsteocomError('EMAIL_REQUIRED', 'Osteocom requires an email address for this customer.', { details });
  }
  if (endpoint === 'contentAccessAuthorization' && status === 403) {
    return new OsteocomError('INVALID_EMAIL', 'Osteocom refused the email address as malformed.', { details });
  }
  if (endpoint === 'videoAccess' && status === 404) {
    return new OsteocomError('VIDEO_NOT_FOUND', 'Osteocom does not know this video.', { details });
  }
  return new OsteocomError('UPSTREAM_REJECTED', `Osteocom refused the ${endpoint} call (HTTP ${status}).`, { details });
};

export const unavailable = (endpoint: Endpoint, attempts: number, reason: string, retryAfterSeconds = 30, upstreamStatus?: number) =>
  new OsteocomError('UPSTREAM_UNAVAILABLE', `Osteocom is unavailable (${reason}) after ${attempts} attempt(s); try again later.`, {
    retryAfterSeconds,
    details: { endpoint, attempts, ...(upstreamStatus ? { upstreamStatus } : {}) },
  });
