import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { OsteocomError } from '../errors';
import { isApiToken } from './actor';

type UserIdField = string | ((user: Record<string, unknown>) => string);

/** The customer id of the signed-in end user, from the configured mapping; never from the body. */
export const endUserId = (strapi: Core.Strapi, ctx: Context): string | undefined => {
  const user = ctx.state.user as Record<string, unknown> | undefined;
  if (!user || isApiToken(ctx)) return undefined;
  const field = strapi.plugin('osteocom').config('userIdField') as UserIdField;
  const value = typeof field === 'function' ? field(user) : user[field];
  if (value === undefined || value === null || value === '') {
    throw new OsteocomError('FORBIDDEN', 'This account has no customer id for Osteocom.');
  }
  return String(value);
};
