/** What the admin shows of a failed request: the server's message and its stable code. */
export interface ApiErrorInfo {
  code?: string;
  message: string;
}

interface ErrorLike {
  message?: unknown;
  details?: { code?: unknown } | null;
}

/**
 * Reads an error of the plugin's queries and mutations: the server's `error` object as the admin's
 * base query passes it on (`{ status, name, message, details: { code } }`), or any error with a
 * message.
 */
export const apiErrorOf = (error: unknown): ApiErrorInfo => {
  if (!error || typeof error !== 'object') return { message: String(error) };
  const { message, details } = error as ErrorLike;
  return {
    code: typeof details?.code === 'string' ? details.code : undefined,
    message: typeof message === 'string' && message ? message : 'Unknown error',
  };
};
