/**
 * Issue "Production money path", findings 1, 2 and 7: writes that really guard. Each race is made
 * deterministic: a database lifecycle subscriber holds a write between its read and its update, or
 * the sandbox holds a request until after the server that sent it stopped. Every test ends by
 * comparing the plugin's rows with what the sandbox — Osteocom — holds.
 */
import type { Core } from '@strapi/strapi';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const [A] = catalog.map((channel) => channel.idChannel);
const VIDEO = catalog[0].video[0].videoId;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const HOUR_MS = 3_600_000;

interface UpdateEvent {
  params: { where?: { id?: number }; data?: Record<string, unknown> };
}

/** Runs `between` once, while the first entitlement update of `id` that `matches` its data waits before it is written. */
const holdUpdate = (strapi: Core.Strapi, id: number, matches: (data: Record<string, unknown>) => boolean, between: () => Promise<unknown>) => {
  let held = false;
  const unsubscribe = strapi.db.lifecycles.subscribe({
    models: [ENTITLEMENT],
    async beforeUpdateMany(event: UpdateEvent) {
      if (held || event.params.where?.id !== id || !matches(event.params.data ?? {})) return;
      held = true;
      await between();
    },
  }) as unknown as () => void;
  return { unsubscribe, held: () => held };
};

describe('production money path: guarded writes that really guard', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const authorize = (userId: string, accessUntil?: string) =>
    app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: [{ productId: A, ...(accessUntil ? { accessUntil } : {}) }] });
  const row = (userId: string) => app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } });
  const upstream = (userId: string) => {
    const activation = app.sandbox.customer(userId)?.activations[A];
    if (!activation) return 'none';
    return activation.cancellationDate ? 'revoked' : 'active';
  };
  const revocations = (userId: string) => app.sandbox.requests.filter((r) => r.endpoint === 'revocateActivation' && (r.body as { userId?: string }).userId === userId);
  const buyer = async () => {
    const { user, jwt } = await createEndUser(app);
    return { userId: user.documentId, jwt };
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { http: { timeoutMs: 1_500, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1 } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  it('finding 1: a renewal written between the expiry pass reading the row and writing it keeps the access, here and at Osteocom', async () => {
    const { userId, jwt } = await buyer();
    expect((await authorize(userId, new Date(Date.now() + HOUR_MS).toISOString())).status).toBe(200);
    const { id } = await row(userId);
    // The access ends: its stored instant moves a second into the past (the clock is not mocked).
    await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { id }, data: { accessUntil: new Date(Date.now() - 1_000) } });
    const renewedUntil = new Date(Date.now() + 365 * 24 * HOUR_MS).toISOString();
    let renewal: { status: number; body: { data: { state: string; entitlements: { accessUntil: string | null }[] } } } | undefined;
    // The expiry pass has read the active row and computed the refund; the shop's renewal lands before it writes.
    const hold = holdUpdate(app.strapi, id, (data) => data.pendingOperation === 'revoke', async () => {
      renewal = await authorize(userId, renewedUntil);
    });
    try {
      await app.strapi.plugin('osteocom').service('outbox').runOnce();
    } finally {
      hold.unsubscribe();
    }
    expect(hold.held()).toBe(true);
    expect([renewal!.status, renewal!.body.data.state, renewal!.body.data.entitlements[0].accessUntil]).toEqual([200, 'active', renewedUntil]);
    expect(await row(userId)).toMatchObject({ status: 'active', pendingOperation: null });
    expect(new Date((await row(userId)).accessUntil).toISOString()).toBe(renewedUntil);
    expect(revocations(userId)).toHaveLength(0);
    expect(upstream(userId)).toBe('active');
    expect((await app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: VIDEO })).status).toBe(200);
  });
});
