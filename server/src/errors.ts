import { errors } from '@strapi/utils';
import type { ZodError, ZodType, output } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../shared/contracts/errors';

export { ERROR_CODES, type ErrorCode };

/** Strapi's error names, so replies look like the rest of the site's API. */
const NAMES: Record<number, string> = {
  400: 'ValidationError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'ConflictError',
  429: 'RateLimitError',
  500: 'InternalServerError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
};

interface OsteocomErrorOptions {
  status?: number;
  details?: Record<string, unknown>;
  retryAfterSeconds?: number;
}

/**
 * Strapi's ApplicationError (`name`, `message`, `details`, as its error replies and GraphQL show
 * them) with the HTTP status the plugin answers with and the stable code in `details.code`.
 * Strapi's error middleware picks the status by class (a plain ApplicationError is a 400) and sets
 * no Retry-After, so the plugin's controllers reply with it themselves (utils/controller.ts).
 */
export class OsteocomError extends errors.ApplicationError<string, string, Record<string, unknown> & { code: ErrorCode }> {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: OsteocomErrorOptions = {}) {
    const status = options.status ?? ERROR_CODES[code];
    super(message, { ...options.details, code });
    this.name = NAMES[status] ?? 'ApplicationError';
    this.code = code;
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isOsteocomError = (error: unknown): error is OsteocomError =>
  error instanceof OsteocomError;

const MAX_LISTED_ISSUES = 3;

/** "catalog.3.video.0.duration: expected number, received string": paths and rules, never the values (secrets, hostile input). */
export const describeIssues = (error: ZodError) => {
  const listed = error.issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message.replace(/^Invalid input: /, '')}`);
  const more = error.issues.length - listed.length;
  return more > 0 ? `${listed.join('; ')} (and ${more} more)` : listed.join('; ');
};

/** A 400 `VALIDATION_ERROR` naming each bad path, as every route answers a body its contract refuses. */
export const validationError = (error: ZodError) =>
  new OsteocomError('VALIDATION_ERROR', `The request is not valid: ${describeIssues(error)}`, {
    details: {
      errors: error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    },
  });

/** Parses a service's input with its contract: a site's own code calling a service gets the route's 400, not a ZodError. */
export const parseInput = <Schema extends ZodType>(schema: Schema, input: unknown): output<Schema> => {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
};
