import type { Context } from 'koa';

export type ActorType = 'admin' | 'api-token' | 'end-user' | 'system';

export interface Actor {
  type: ActorType;
  id?: string;
}

export const SYSTEM: Actor = { type: 'system' };

interface AuthState {
  user?: { id?: number | string };
  auth?: { strategy?: { name?: string }; credentials?: { id?: number | string } };
  isAuthenticated?: boolean;
}

/** Strapi 5 names the API token strategy `content-api-token` (`api-token` before 5.x). */
const API_TOKEN_STRATEGIES = new Set(['content-api-token', 'api-token']);

export const isApiToken = (ctx: Context) => API_TOKEN_STRATEGIES.has((ctx.state as AuthState).auth?.strategy?.name ?? '');

/** Who is calling: an admin user, an API token or a signed-in end user. */
export const actorFrom = (ctx: Context): Actor => {
  const state = ctx.state as AuthState;
  const strategy = state.auth?.strategy?.name;
  if (isApiToken(ctx)) return { type: 'api-token', id: String(state.auth?.credentials?.id ?? '') };
  if (strategy === 'admin') return { type: 'admin', id: String(state.user?.id ?? '') };
  if (state.user?.id !== undefined) return { type: 'end-user', id: String(state.user.id) };
  return SYSTEM;
};
