/**
 * Issue 26, "Operations in plain language", on the three databases: attempts counted as the admin
 * shows them (every call Osteocom did not confirm, the first one included), "Re-send all" for Needs
 * attention (counts, RBAC per intent, guarded path), automatic retries grouped in the activity log
 * by the database (count, first and last time, pages and totals as shown), actors by name, and the
 * personal-data export audited without personal data.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const ENTITLEMENT = 'plugin::osteocom.entitlement';
const AUDIT = 'plugin::osteocom.audit-event';
const catalog = generateCatalog({ channels: 4, videosPerChannel: 1 });
const [A, B, C, D] = catalog.map((channel) => channel.idChannel);

const refuse = { endpoint: 'contentAccessAuthorization', status: 403, json: { error: 'Product not enabled for this client' } } as const;
const outage = { endpoint: 'contentAccessAuthorization', status: 503 } as const;

describe('operations in plain language (issue 26)', () => {
  let app: TestApp;
  let admin: string;
  let adminId: string;
  const auth = (token = admin) => ({ Authorization: `Bearer ${token}` });
  const authorize = (body: object, token = admin) => app.http.post('/osteocom/authorizations').set(auth(token)).send(body);
  const entitlement = async (userId: string, channelId: string) =>
    ((await app.http.get(`/osteocom/customers/${encodeURIComponent(userId)}`).set(auth())).body.data.entitlements as { channelKey: string; [key: string]: unknown }[]).find(
      (row) => row.channelKey === channelId
    );
  const events = async (query: string) => (await app.http.get(`/osteocom/audit-events?${query}`).set(auth())).body;
  const attention = async () => (await app.http.get('/osteocom/entitlements?attention=true&pageSize=100').set(auth())).body;
  const resendAll = (token = admin, body: unknown = {}) => app.http.post('/osteocom/entitlements/resend-attention').set(auth(token)).send(body as object);

  /** Makes the customer's unconfirmed operations due now (no call in flight) and runs one outbox pass. */
  const outboxPass = async (userId: string) => {
    await app.strapi.db
      .query(ENTITLEMENT)
      .updateMany({ where: { customerKey: userId, pendingOperation: { $notNull: true } }, data: { nextAttemptAt: new Date(0), calls: [], doubtOperation: null, doubtUntil: null } });
    expect(await app.strapi.plugin('osteocom').service('outbox').runOnce()).not.toBeNull();
  };
  /** Nothing else is due: the outbox passes of one test send that test's rows only. */
  const settleOthers = () =>
    app.strapi.db.query(ENTITLEMENT).updateMany({ where: { pendingOperation: { $notNull: true } }, data: { nextAttemptAt: new Date(Date.now() + 3_600_000) } });

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      pluginConfig: { http: { timeoutMs: 1_500, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1, alertAfterSeconds: 3600 } },
    });
    const created = await createAdmin(app, 'super');
    admin = created.token;
    const user = await app.strapi.db.query('admin::user').findOne({ where: { email: created.email } });
    adminId = String(user.id);
    await app.strapi.db.query('admin::user').update({ where: { id: user.id }, data: { firstname: 'Anna', lastname: 'Rossi' } });
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  describe('attempts', () => {
    it('count every call Osteocom did not confirm, the first send included; a refusal is one too', async () => {
      app.sandbox.inject({ ...outage, times: 2 });
      expect((await authorize({ userId: 'attempts', products: [{ productId: A }] })).status).toBe(202);
      expect(await entitlement('attempts', A)).toMatchObject({ status: 'pending', attempts: 1, lastErrorCode: 'UPSTREAM_UNAVAILABLE' });
      await settleOthers();
      await outboxPass('attempts');
      expect(await entitlement('attempts', A)).toMatchObject({ status: 'pending', attempts: 2 });
      app.sandbox.inject(refuse);
      await outboxPass('attempts');
      expect(await entitlement('attempts', A)).toMatchObject({ status: 'failed', attempts: 3, lastErrorCode: 'UPSTREAM_REJECTED', nextAttemptAt: null });
    });

    it('a purchase refused at its first send shows one failed attempt', async () => {
      app.sandbox.inject(refuse);
      expect((await authorize({ userId: 'refused-once', products: [{ productId: A }] })).status).toBe(502);
      expect(await entitlement('refused-once', A)).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('a purchase confirmed at once counts none', async () => {
      expect((await authorize({ userId: 'confirmed', products: [{ productId: A }] })).status).toBe(200);
      expect(await entitlement('confirmed', A)).toMatchObject({ status: 'active', attempts: 0 });
    });
  });

  describe('the activity log', () => {
    it('groups consecutive automatic retries of one entitlement into one row with a count, first and last time; pages count the rows shown', async () => {
      const userId = 'retried';
      app.sandbox.inject({ ...outage, times: 4 });
      expect((await authorize({ userId, products: [{ productId: B }] })).status).toBe(202);
      await settleOthers();
      await outboxPass(userId);
      await outboxPass(userId);
      // Another customer's event between two retries does not split the group: it is about another entitlement.
      expect((await app.http.post('/osteocom/revocations').set(auth()).send({ userId: 'confirmed', channelId: A })).status).toBe(200);
      await outboxPass(userId);
      // Osteocom is back: the outbox's success is a row of its own.
      await outboxPass(userId);
      expect(await entitlement(userId, B)).toMatchObject({ status: 'active' });

      const stored = await app.strapi.db.query(AUDIT).findMany({ where: { subjectUserId: userId }, orderBy: { id: 'asc' } });
      expect(stored.map((row: { actorType: string; outcome: string }) => `${row.actorType}:${row.outcome}`)).toEqual([
        'admin:pending',
        'system:pending',
        'system:pending',
        'system:pending',
        'system:success',
      ]);

      const page = await events(`userId=${userId}`);
      expect(page.meta.pagination).toMatchObject({ total: 3, pageCount: 1 });
      expect(page.data.map((row: { actorType: string; outcome: string; count: number }) => [row.actorType, row.outcome, row.count])).toEqual([
        ['system', 'success', 1],
        ['system', 'pending', 3],
        ['admin', 'pending', 1],
      ]);
      const group = page.data[1];
      expect(group).toMatchObject({ action: 'authorize', actorId: 'outbox', actorName: null, channelKey: B, details: { code: 'UPSTREAM_UNAVAILABLE' } });
      expect(group.id).toBe(stored[3].id);
      expect(new Date(group.firstAt).getTime()).toBe(new Date(stored[1].createdAt).getTime());
      expect(new Date(group.createdAt).getTime()).toBe(new Date(stored[3].createdAt).getTime());
      expect(new Date(group.firstAt).getTime()).toBeLessThanOrEqual(new Date(group.createdAt).getTime());

      // One row per page: the group is the second page, and the pages add up to the rows shown.
      const second = await events(`userId=${userId}&page=2&pageSize=1`);
      expect(second.meta.pagination).toMatchObject({ page: 2, pageSize: 1, total: 3, pageCount: 3 });
      expect(second.data).toHaveLength(1);
      expect(second.data[0]).toMatchObject({ id: group.id, count: 3 });
      expect((await events(`userId=${userId}&page=4&pageSize=1`)).data).toEqual([]);

      // The whole log groups the same way, and its total counts rows as shown.
      const all = await events('pageSize=100');
      expect(all.data.find((row: { id: number }) => row.id === group.id)).toMatchObject({ count: 3 });
      expect(all.meta.pagination.total).toBe(all.data.length);
      const shown = all.data.reduce((sum: number, row: { count: number }) => sum + row.count, 0);
      expect(shown).toBe(await app.strapi.db.query(AUDIT).count());
    });

    it('an editor’s re-send between retries starts a new group', async () => {
      const userId = 'resent-between';
      app.sandbox.inject({ ...outage, times: 6 });
      expect((await authorize({ userId, products: [{ productId: C }] })).status).toBe(202);
      await settleOthers();
      await outboxPass(userId);
      await outboxPass(userId);
      expect((await app.http.post('/osteocom/entitlements/resend').set(auth()).send({ userId, channelId: C })).status).toBe(202);
      await outboxPass(userId);
      await outboxPass(userId);
      const page = await events(`userId=${userId}`);
      expect(page.data.map((row: { actorType: string; count: number }) => [row.actorType, row.count])).toEqual([
        ['system', 2],
        ['admin', 1],
        ['system', 2],
        ['admin', 1],
      ]);
      expect(page.meta.pagination.total).toBe(4);
    });

    it('names who acted: the admin by first and last name, the shop back end by its API token, the outbox as automatic', async () => {
      const token = await app.strapi.service('admin::api-token').create({ name: 'Shop checkout', description: 'shop', type: 'full-access', lifespan: null });
      const shop = await app.http.post('/api/osteocom/authorizations').set('Authorization', `Bearer ${token.accessKey}`).send({ userId: 'named', products: [{ productId: D }] });
      expect(shop.status).toBe(200);
      expect((await app.http.post('/osteocom/revocations').set(auth()).send({ userId: 'named', channelId: D })).status).toBe(200);
      const rows = (await events('userId=named')).data as { action: string; actorType: string; actorId: string; actorName: string | null }[];
      expect(rows.map((row) => [row.action, row.actorType, row.actorName])).toEqual([
        ['revoke', 'admin', 'Anna Rossi'],
        ['authorize', 'api-token', 'Shop checkout'],
      ]);
      expect(rows[0].actorId).toBe(adminId);
      // The outbox is named by the admin panel ("Automatic (outbox)"): no name from the database.
      expect((await events('userId=retried')).data[0]).toMatchObject({ actorType: 'system', actorId: 'outbox', actorName: null });
    });
  });

  describe('Re-send all', () => {
    /** Needs attention starts empty for each test: earlier rows are settled as refunded. */
    const clearAttention = () =>
      app.strapi.db.query(ENTITLEMENT).updateMany({
        where: { $or: [{ needsReconciliation: true }, { status: 'failed' }, { pendingOperation: { $notNull: true } }] },
        data: { status: 'revoked', pendingOperation: null, operationId: null, needsReconciliation: false, nextAttemptAt: null },
      });

    it('re-sends every row of Needs attention through the re-send path and answers the counts', async () => {
      await clearAttention();
      app.sandbox.inject({ ...refuse, times: 3 });
      for (const userId of ['all-1', 'all-2', 'all-3']) expect((await authorize({ userId, products: [{ productId: A }] })).status).toBe(502);
      expect((await attention()).meta.pagination.total).toBe(3);
      // Osteocom refuses the first again; the two others go through.
      app.sandbox.inject(refuse);
      const res = await resendAll();
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ total: 3, confirmed: 2, pending: 0, refused: 1, skipped: 0, remaining: 0 });
      const left = (await attention()).data as { userId: string; status: string; attempts: number }[];
      expect(left.map((row) => [row.userId, row.status, row.attempts])).toEqual([['all-1', 'failed', 1]]);
      expect(await entitlement('all-2', A)).toMatchObject({ status: 'active' });
      expect(app.sandbox.customer('all-3')?.activations[A]).toBeDefined();
      // Each row audited as a single re-send would be, by the editor.
      const audited = await app.strapi.db.query(AUDIT).findMany({ where: { subjectUserId: { $in: ['all-2', 'all-3'] }, outcome: 'success' } });
      expect(audited.map((row: { actorType: string; actorId: string }) => `${row.actorType}:${row.actorId}`)).toEqual([`admin:${adminId}`, `admin:${adminId}`]);
      // Nothing left to send: a second click sends only what is still listed.
      expect((await resendAll()).body.data).toMatchObject({ total: 1, refused: 0, confirmed: 1 });
      expect((await attention()).meta.pagination.total).toBe(0);
      expect((await resendAll()).body.data).toEqual({ total: 0, confirmed: 0, pending: 0, refused: 0, skipped: 0, remaining: 0 });
    });

    it('sends each row by the editor’s own permission: a refund needs revoke, a purchase authorize', async () => {
      await clearAttention();
      app.sandbox.inject(refuse);
      expect((await authorize({ userId: 'perm-buy', products: [{ productId: B }] })).status).toBe(502);
      expect((await authorize({ userId: 'perm-refund', products: [{ productId: B }] })).status).toBe(200);
      app.sandbox.inject({ endpoint: 'revocateActivation', status: 404, json: { error: 'Not found' } });
      expect((await app.http.post('/osteocom/revocations').set(auth()).send({ userId: 'perm-refund', channelId: B })).status).toBe(502);
      expect((await attention()).meta.pagination.total).toBe(2);

      const refunder = (await createAdmin(app, ['plugin::osteocom.read', 'plugin::osteocom.revoke'])).token;
      const res = await resendAll(refunder);
      expect(res.body.data).toEqual({ total: 2, confirmed: 1, pending: 0, refused: 0, skipped: 1, remaining: 0 });
      expect(await entitlement('perm-buy', B)).toMatchObject({ status: 'failed' });
      expect(await entitlement('perm-refund', B)).toMatchObject({ status: 'revoked', needsReconciliation: false });

      const reader = (await createAdmin(app, ['plugin::osteocom.read'])).token;
      const refused = await resendAll(reader);
      expect(refused.status).toBe(403);
      expect(await entitlement('perm-buy', B)).toMatchObject({ status: 'failed' });
    });

    it('an unconfirmed purchase waiting for the outbox goes out at once; Osteocom still down leaves it pending', async () => {
      await clearAttention();
      app.sandbox.inject(outage);
      expect((await authorize({ userId: 'stuck', products: [{ productId: C }] })).status).toBe(202);
      // Unconfirmed past the alert time: listed.
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: 'stuck' }, data: { operationAt: new Date(Date.now() - 7_200_000) } });
      expect((await attention()).meta.pagination.total).toBe(1);
      app.sandbox.inject(outage);
      expect((await resendAll()).body.data).toEqual({ total: 1, confirmed: 0, pending: 1, refused: 0, skipped: 0, remaining: 0 });
      expect(await entitlement('stuck', C)).toMatchObject({ status: 'pending', attempts: 1, lastErrorCode: 'UPSTREAM_UNAVAILABLE' });
      expect((await resendAll()).body.data).toMatchObject({ total: 1, confirmed: 1 });
      expect(await entitlement('stuck', C)).toMatchObject({ status: 'active', pendingOperation: null });
    });

    it('takes no body', async () => {
      const before = app.sandbox.count();
      const res = await resendAll(admin, { all: true });
      expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION_ERROR']);
      expect(app.sandbox.count()).toBe(before);
    });
  });

  describe('the personal-data export', () => {
    it('is audited: who exported whose data, and nothing of the data itself', async () => {
      const profile = { userId: 'exported', email: 'lucia.verdi@example.com', name: 'Lucia', surname: 'Verdi' };
      expect((await authorize({ ...profile, products: [{ productId: D }] })).status).toBe(200);
      const res = await app.http.get('/osteocom/customers/exported/export').set(auth());
      expect(res.status).toBe(200);
      const rows = await app.strapi.db.query(AUDIT).findMany({ where: { action: 'export-personal-data' } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: 'success', actorType: 'admin', actorId: adminId, subjectUserId: 'exported', channelKey: null });
      expect(rows[0].details ?? {}).toEqual({});
      expect(JSON.stringify(rows[0])).not.toMatch(/lucia|verdi/i);
      // Shown in the activity log with the admin's name.
      expect((await events('userId=exported')).data[0]).toMatchObject({ action: 'export-personal-data', actorName: 'Anna Rossi', count: 1 });
      // An unknown customer exports nothing and records nothing.
      expect((await app.http.get('/osteocom/customers/nobody/export').set(auth())).status).toBe(404);
      expect(await app.strapi.db.query(AUDIT).count({ where: { action: 'export-personal-data' } })).toBe(1);
    });
  });
});
