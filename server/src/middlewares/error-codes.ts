import type { Core } from '@strapi/strapi';
import type { ErrorCode } from '../errors';

/**
 * Strapi answers some requests to the plugin's routes before the plugin runs: its body parser
 * (malformed JSON, over the size limit), its authentication (401/403), its router (404/405), and
 * its error middleware an unexpected throw (500). Those replies carry no `details.code` (a 405
 * carries no body at all), so callers could not switch on every error of an Osteocom route the
 * same way. This wraps Strapi's error middleware and completes them; the plugin's own refusals
 * are answered with their code by the controllers (utils/controller.ts) and left as they are.
 */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  500: 'INTERNAL_ERROR',
};

const NAME_BY_STATUS: Record<number, string> = { 405: 'MethodNotAllowedError' };

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

interface Ctx {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

interface ErrorBody {
  data: null;
  error: { status: number; name: string; message: string; details?: Record<string, unknown> | null };
}

/**
 * Plain-language messages in place of the body parser's, which speak in parser terms and can
 * quote the body back.
 */
const plainMessage = (code: ErrorCode, ctx: Ctx, original: string): string | undefined => {
  switch (code) {
    case 'MALFORMED_REQUEST':
      if (!BODY_METHODS.has(ctx.method)) return undefined;
      return /prototype/i.test(original)
        ? 'The request body contains a forbidden key (__proto__): send plain JSON data.'
        : 'The request body is not valid JSON: send a JSON object with Content-Type: application/json.';
    case 'PAYLOAD_TOO_LARGE':
      return 'The request body is larger than the server accepts.';
    case 'METHOD_NOT_ALLOWED':
      return `This route does not accept the ${ctx.method} method.`;
    default:
      return undefined;
  }
};

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === 'object' && body !== null && typeof (body as ErrorBody).error === 'object' && (body as ErrorBody).error !== null;

const isEmpty = (body: unknown) => body === undefined || body === null || body === '';

const pluginPathPrefixes = (strapi: Core.Strapi) => {
  const apiPrefix = strapi.config.get<string>('api.rest.prefix', '/api');
  return ['/osteocom', `${apiPrefix}/osteocom`];
};

const isUnder = (path: string, prefixes: string[]) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

export const errorCodes = (strapi: Core.Strapi) => {
  const prefixes = pluginPathPrefixes(strapi);
  return async (ctx: Ctx, next: () => Promise<unknown>) => {
    await next();
    const code = CODE_BY_STATUS[ctx.status];
    if (!code || !isUnder(ctx.path, prefixes)) return;
    if (isEmpty(ctx.body)) {
      const status = ctx.status;
      ctx.body = { data: null, error: { status, name: NAME_BY_STATUS[status] ?? 'HttpError', message: plainMessage(code, ctx, '') ?? code } };
    }
    if (!isErrorBody(ctx.body)) return;
    const { error } = ctx.body;
    if (typeof error.details?.code === 'string') return;
    error.details = { ...(error.details ?? {}), code };
    error.message = plainMessage(code, ctx, error.message) ?? error.message;
  };
};
