import type { Context } from 'koa';

export type ActorType = 'admin' | 'api-token' | 'end-user' | 'system' | 'unknown';

export interface Actor {
  type: ActorType;
  id?: string;
  /** The admin token an admin acted through: the audit names it beside its owner. */
  token?: { id: string; name: string };
}

interface AuthState {
  user?: { id?: number | string };
  auth?: { strategy?: { name?: string }; credentials?: { id?: number | string; name?: string } };
  isAuthenticated?: boolean;
}

/** Strapi 5 names the API token strategy `content-api-token` (`api-token` before 5.x). */
const API_TOKEN_STRATEGIES = new Set(['content-api-token', 'api-token']);

export const isApiToken = (ctx: Context) => API_TOKEN_STRATEGIES.has((ctx.state as AuthState).auth?.strategy?.name ?? '');

const idOf = (value: number | string | undefined) => String(value ?? '');

/**
 * Who is calling, by the strategy that authenticated the request. Strapi 5.54's admin tokens
 * (`admin-token`) act as their owner: recorded as that admin, with the token named. A strategy
 * this plugin does not know is `unknown` — never an end user, whose id would then be a guess.
 */
export const actorFrom = (ctx: Context): Actor => {
  const { auth, user } = ctx.state as AuthState;
  const strategy = auth?.strategy?.name;
  if (isApiToken(ctx)) return { type: 'api-token', id: idOf(auth?.credentials?.id) };
  switch (strategy) {
    case 'admin':
      return { type: 'admin', id: idOf(user?.id) };
    case 'admin-token':
      return { type: 'admin', id: idOf(user?.id), token: { id: idOf(auth?.credentials?.id), name: String(auth?.credentials?.name ?? '') } };
    case 'users-permissions':
      return { type: 'end-user', id: idOf(user?.id) };
    default:
      return { type: 'unknown' };
  }
};
