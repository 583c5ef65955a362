/** What the admin shows of a failed request: the server's message and its stable code. */
export interface ApiErrorInfo {
  status?: number;
  code?: string;
  message: string;
}

interface ErrorLike {
  status?: number;
  message?: string;
  response?: {
    data?: { error?: { status?: number; message?: string; details?: { code?: string } } };
  };
}

/** Reads a FetchError from useFetchClient (`{ data: null, error: { status, message, details: { code } } }`). */
export const apiErrorOf = (error: unknown): ApiErrorInfo => {
  if (error && typeof error === 'object') {
    const candidate = error as ErrorLike;
    const body = candidate.response?.data?.error;
    return {
      status: body?.status ?? candidate.status,
      code: body?.details?.code,
      message: body?.message || candidate.message || 'Unknown error',
    };
  }
  return { message: String(error) };
};

export const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';
