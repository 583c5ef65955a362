/**
 * Issue 16, time-limited access: `products[].accessUntil`. From that instant the token route refuses
 * the channel without calling Osteocom, and the outbox revokes it at Osteocom through the
 * lifecycle — once, also when Osteocom is down at that moment.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const [A] = catalog.map((channel) => channel.idChannel);
const VIDEO = catalog[0].video[0].videoId;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
/** Long enough that a loaded machine never reaches it by itself; a test ends it by moving the row's date into the past. */
const LIFETIME_MS = 3_600_000;

describe('time-limited access', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const inAWhile = (ms = LIFETIME_MS) => new Date(Date.now() + ms).toISOString();
  const authorize = (userId: string, accessUntil?: string) =>
    app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: [{ productId: A, ...(accessUntil ? { accessUntil } : {}) }] });
  const token = (jwt: string) => app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${jwt}`).send({ videoId: VIDEO });
  const outboxPass = () => app.strapi.plugin('osteocom').service('outbox').runOnce();
  const revocations = (userId: string) => app.sandbox.requests.filter((r) => r.endpoint === 'revocateActivation' && (r.body as { userId?: string }).userId === userId);
  /** The access's end passes: its stored instant moves a second into the past (the clock is not mocked). */
  const expire = (userId: string) =>
    app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { accessUntil: new Date(Date.now() - 1_000) } });
  const buyer = async () => {
    const { user, jwt } = await createEndUser(app);
    return { userId: user.documentId, jwt };
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { http: { timeoutMs: 5_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1 } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  it('is refused from the instant it ends without calling Osteocom, and revoked at Osteocom exactly once, by the system', async () => {
    const { userId, jwt } = await buyer();
    const until = inAWhile();
    expect((await authorize(userId, until)).body.data.entitlements[0]).toMatchObject({ status: 'active', accessUntil: new Date(until).toISOString() });
    expect((await token(jwt)).status).toBe(200);
    const me = await app.http.get('/api/osteocom/me').set('Authorization', `Bearer ${jwt}`);
    expect(me.body.data.entitlements[0].accessUntil).toBe(new Date(until).toISOString());

    await expire(userId);
    const videoCalls = app.sandbox.count('videoAccess');
    const refused = await token(jwt);
    expect([refused.status, refused.body.error.details.code]).toEqual([403, 'ACCESS_EXPIRED']);
    expect(app.sandbox.count('videoAccess')).toBe(videoCalls);

    await outboxPass();
    await outboxPass();
    expect(revocations(userId)).toHaveLength(1);
    expect(app.sandbox.customer(userId)!.activations[A].cancellationDate).toEqual(expect.any(String));
    expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId } })).toMatchObject({ status: 'revoked', pendingOperation: null });
    const audit = await app.strapi.db.query('plugin::osteocom.audit-event').findMany({ where: { subjectUserId: userId, action: { $in: ['expire', 'revoke'] } } });
    expect(audit.map((event: { action: string; actorType: string; outcome: string }) => [event.action, event.actorType, event.outcome]).sort()).toEqual([
      ['expire', 'system', 'success'],
      ['revoke', 'system', 'success'],
    ]);
  });

  it('when Osteocom is down at that moment, the outbox revokes it once Osteocom is back', async () => {
    const { userId, jwt } = await buyer();
    await authorize(userId, inAWhile());
    await expire(userId);
    app.sandbox.inject({ endpoint: 'revocateActivation', status: 503, match: { userId } });
    await outboxPass();
    expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId } })).toMatchObject({ status: 'revoked', pendingOperation: 'revoke' });
    expect((await token(jwt)).body.error.details.code).toBe('ACCESS_EXPIRED');
    await app.strapi.db.query(ENTITLEMENT).updateMany({ where: { customerKey: userId }, data: { nextAttemptAt: new Date(0) } });
    await outboxPass();
    await outboxPass();
    expect(revocations(userId).map((request) => request.status)).toEqual([503, 200]);
    expect(app.sandbox.customer(userId)!.activations[A].cancellationDate).toEqual(expect.any(String));
  });

  it('authorizing again with a later date extends it, without a date makes it permanent; neither calls Osteocom', async () => {
    for (const later of [inAWhile(2 * LIFETIME_MS), undefined]) {
      const { userId, jwt } = await buyer();
      await authorize(userId, inAWhile());
      const calls = app.sandbox.count('contentAccessAuthorization');
      expect((await authorize(userId, later)).body.data.entitlements[0]).toMatchObject({ status: 'active', accessUntil: later ? new Date(later).toISOString() : null });
      expect(app.sandbox.count('contentAccessAuthorization')).toBe(calls);
      await outboxPass();
      expect((await token(jwt)).status).toBe(200);
      expect(revocations(userId)).toHaveLength(0);
    }
  });

  it('lists the accesses ending within N days for the admin, soonest first and paginated; not the revoked, later or permanent ones', async () => {
    const days = (n: number) => inAWhile(n * 86_400_000);
    const [soon, sooner, later, forever, revoked] = await Promise.all([buyer(), buyer(), buyer(), buyer(), buyer()]);
    await authorize(soon.userId, days(5));
    await authorize(sooner.userId, days(2));
    await authorize(later.userId, days(30));
    await authorize(forever.userId);
    await authorize(revoked.userId, days(3));
    expect((await app.http.post('/osteocom/revocations').set(auth()).send({ userId: revoked.userId, channelId: A })).status).toBe(200);
    const mine = new Set([soon, sooner, later, forever, revoked].map((each) => each.userId));
    const list = (query: string, token = admin) => app.http.get(`/osteocom/entitlements?${query}`).set('Authorization', `Bearer ${token}`);

    const all = await list('expiringWithinDays=7&pageSize=100');
    expect(all.status).toBe(200);
    const rows = all.body.data as { userId: string; channelKey: string; channelTitle: string; status: string; accessUntil: string }[];
    expect(rows.filter((row) => mine.has(row.userId)).map((row) => row.userId)).toEqual([sooner.userId, soon.userId]);
    expect(rows.find((row) => row.userId === sooner.userId)).toMatchObject({ channelKey: A, channelTitle: catalog[0].title, status: 'active' });
    expect(rows.map((row) => row.accessUntil)).toEqual([...rows.map((row) => row.accessUntil)].sort());
    expect(rows.every((row) => Date.parse(row.accessUntil) > Date.now() && Date.parse(row.accessUntil) <= Date.now() + 7 * 86_400_000)).toBe(true);
    expect(all.body.meta.pagination).toMatchObject({ page: 1, pageSize: 100, total: rows.length });

    const paged = [];
    for (let page = 1; page <= Math.ceil(rows.length / 2); page += 1) paged.push(...(await list(`expiringWithinDays=7&pageSize=2&page=${page}`)).body.data);
    expect(paged).toEqual(rows);
    expect((await list('expiringWithinDays=60&pageSize=100')).body.data.filter((row: { userId: string }) => mine.has(row.userId)).map((row: { userId: string }) => row.userId)).toEqual([
      sooner.userId,
      soon.userId,
      later.userId,
    ]);
  });

  it('refuses a look-ahead that is not 1 to 365 whole days, or combined with attention, and to an admin who may not read', async () => {
    for (const query of ['expiringWithinDays=0', 'expiringWithinDays=366', 'expiringWithinDays=1.5', 'expiringWithinDays=soon', 'expiringWithinDays=', 'attention=true&expiringWithinDays=7']) {
      const res = await app.http.get(`/osteocom/entitlements?${query}`).set(auth());
      expect([query, res.status, res.body.error.details.code]).toEqual([query, 400, 'VALIDATION_ERROR']);
    }
    const reader = (await createAdmin(app, ['plugin::osteocom.read'])).token;
    const syncer = (await createAdmin(app, ['plugin::osteocom.sync'])).token;
    expect((await app.http.get('/osteocom/entitlements?expiringWithinDays=7').set('Authorization', `Bearer ${reader}`)).status).toBe(200);
    expect((await app.http.get('/osteocom/entitlements?expiringWithinDays=7').set('Authorization', `Bearer ${syncer}`)).status).toBe(403);
  });

  it('refuses a date in the past or not ISO 8601 with a 400, before Osteocom', async () => {
    const calls = app.sandbox.count();
    for (const accessUntil of [new Date(Date.now() - 1000).toISOString(), '31/12/2027', 'tomorrow']) {
      const res = await authorize('dated-customer', accessUntil);
      expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
    expect(app.sandbox.count()).toBe(calls);
  });
});
