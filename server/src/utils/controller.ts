import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { ZodError } from 'zod';
import { OsteocomError } from '../errors';

type Action = (ctx: Context) => Promise<unknown>;
type Actions = Record<string, Action>;

const validationError = (error: ZodError) =>
  new OsteocomError('VALIDATION_ERROR', 'The request is not valid: ' + describeIssues(error), {
    details: {
      errors: error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    },
  });

/** Names the fields, never echoes the values (they may be secrets or hostile input). */
const describeIssues = (error: ZodError) =>
  error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');

export const toOsteocomError = (error: unknown): OsteocomError | undefined => {
  if (error instanceof OsteocomError) return error;
  if (error instanceof ZodError) return validationError(error);
  return undefined;
};

const reply = (ctx: Context, error: OsteocomError) => {
  ctx.status = error.status;
  if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
  ctx.body = error.toBody();
};

/**
 * Wraps every action so that the plugin's typed errors and validation failures become
 * Strapi-shaped error replies with a stable `details.code`; anything else stays a 500.
 */
export const defineController =
  <T extends Actions>(factory: (deps: { strapi: Core.Strapi }) => T) =>
  (deps: { strapi: Core.Strapi }): T => {
    const actions = factory(deps);
    const wrapped = Object.fromEntries(
      Object.entries(actions).map(([name, action]) => [
        name,
        async (ctx: Context) => {
          try {
            await action(ctx);
          } catch (error) {
            const known = toOsteocomError(error);
            if (!known) throw error;
            reply(ctx, known);
          }
        },
      ])
    );
    return wrapped as T;
  };
