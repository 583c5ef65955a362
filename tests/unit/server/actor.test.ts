import type { Context } from 'koa';
import { actorFrom } from '../../../server/src/utils/actor';

/** ctx.state as Strapi 5.54's auth strategies leave it. */
const ctxWith = (state: object) => ({ state }) as unknown as Context;

describe('actorFrom', () => {
  it('maps each strategy to the actor it authenticates', () => {
    expect(actorFrom(ctxWith({ auth: { strategy: { name: 'admin' } }, user: { id: 3 } }))).toEqual({ type: 'admin', id: '3' });
    expect(actorFrom(ctxWith({ auth: { strategy: { name: 'admin-token' }, credentials: { id: 9, name: 'shop' } }, user: { id: 3 } }))).toEqual({
      type: 'admin',
      id: '3',
      token: { id: '9', name: 'shop' },
    });
    expect(actorFrom(ctxWith({ auth: { strategy: { name: 'content-api-token' }, credentials: { id: 5 } } }))).toEqual({ type: 'api-token', id: '5' });
    expect(actorFrom(ctxWith({ auth: { strategy: { name: 'users-permissions' } }, user: { id: 7 } }))).toEqual({ type: 'end-user', id: '7' });
  });

  it('never makes an end user of a strategy it does not know, even with a user in the state', () => {
    expect(actorFrom(ctxWith({ auth: { strategy: { name: 'sso-bridge' } }, user: { id: 1 } }))).toEqual({ type: 'unknown' });
    expect(actorFrom(ctxWith({ user: { id: 1 } }))).toEqual({ type: 'unknown' });
  });
});
