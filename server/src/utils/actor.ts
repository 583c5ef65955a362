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

/** Who is calling: an admin user, an API token or a signed-in end user. */
export const actorFrom = (ctx: Context): Actor => {
  const state = ctx.state as AuthState;
  const strategy = state.auth?.strategy?.name;
  if (strategy === 'api-token') return { type: 'api-token', id: String(state.auth?.credentials?.id ?? '') };
  if (strategy === 'admin') return { type: 'admin', id: String(state.user?.id ?? '') };
  if (state.user?.id !== undefined) return { type: 'end-user', id: String(state.user.id) };
  return SYSTEM;
};
