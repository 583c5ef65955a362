import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { ZodError } from 'zod';
import { OsteocomError, validationError } from '../errors';

type Action = (ctx: Context) => Promise<unknown>;
type Actions = Record<string, Action>;

export const toOsteocomError = (error: unknown): OsteocomError | undefined => {
  if (error instanceof OsteocomError) return error;
  if (error instanceof ZodError) return validationError(error);
  return undefined;
};

/** Strapi's error reply, with the plugin's own status and Retry-After advice. */
const reply = (ctx: Context, { status, name, message, details, retryAfterSeconds }: OsteocomError) => {
  ctx.status = status;
  if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(Math.ceil(retryAfterSeconds)));
  ctx.body = { data: null, error: { status, name, message, details } };
};

/**
 * Wraps every action so that the plugin's typed errors and validation failures become
 * Strapi-shaped error replies with a stable `details.code`, here and nowhere else; anything else
 * goes on to Strapi's error middleware (a 500).
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
