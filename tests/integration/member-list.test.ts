/**
 * Issue 26, member list: `POST /osteocom/members/search` answers customer × channel rows searched
 * by every word ("Luca Bianchi"), filtered by channel, status (expired told from revoked) and
 * access end, sorted and paged by the database; `POST /osteocom/entitlements/extensions` extends
 * or renews through the authorization path, a picked day ending at the end of that day in the
 * site's zone (DST included); a revocation's reason is stored on the entitlement and audited.
 * Osteocom (the sandbox) is checked to hold what the site says.
 */
import { generateCatalog } from '../../sandbox/src';
import type { Member } from '../../shared/contracts/members';
import { createAdmin, createApiToken } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const [A, B, C] = catalog.map((channel) => channel.idChannel);
const DAY = 86_400_000;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const AUDIT = 'plugin::osteocom.audit-event';
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const ZONE = 'Europe/Rome';

describe('member list', () => {
  let app: TestApp;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const search = async (body: Record<string, unknown>) => {
    const res = await app.http.post('/osteocom/members/search').set(as(admin)).send(body);
    expect(res.status).toBe(200);
    return res.body as { data: Member[]; meta: { pagination: { total: number; pageCount: number } } };
  };
  const keys = async (body: Record<string, unknown>) => (await search(body)).data.map((row) => `${row.userId} ${row.channelId} ${row.status}`).sort();
  const row = (userId: string, channelKey: string) => app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey } });
  const extend = (body: Record<string, unknown>) => app.http.post('/osteocom/entitlements/extensions').set(as(admin)).send(body);

  beforeAll(async () => {
    // One customer after another: the list breaks ties by row id, so the rows must be inserted in the file's order.
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { bulk: { concurrency: 1 } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(as(admin))).body.data.status).toBe('succeeded');
    expect((await app.http.put('/osteocom/settings').set(as(admin)).send({ syncTz: ZONE })).status).toBe(200);
    const rows = [
      { userId: 'ml-luca', email: 'luca@example.com', name: 'Luca', surname: 'Bianchi', productId: A, price: 1000, accessUntil: inDays(10) },
      { userId: 'ml-luca', productId: B, price: 2000 },
      { userId: 'ml-maria', email: 'maria@example.com', name: 'Maria', surname: 'Rossi', productId: A, price: 1500, accessUntil: inDays(200) },
      { userId: 'ml-gianluca', email: 'gl@example.com', name: 'Gianluca', surname: 'Verdi', productId: C, price: 700 },
      { userId: 'ml-old', email: 'old@example.com', name: 'Olga', surname: 'Bianchi', productId: C, price: 300, accessUntil: inDays(1) },
    ];
    const bought = await app.http.post('/osteocom/authorizations/bulk').set(as(admin)).send({ rows });
    expect(bought.body.data.results.map((result: { outcome: string }) => result.outcome)).toEqual(['active', 'active', 'active', 'active', 'active']);
    // A refund with a reason, and an access whose end passed, revoked by the expiry pass.
    expect((await app.http.post('/osteocom/revocations').set(as(admin)).send({ userId: 'ml-gianluca', channelId: C, reason: 'chargeback' })).status).toBe(200);
    const old = await row('ml-old', C);
    await app.strapi.db.query(ENTITLEMENT).update({ where: { id: old.id }, data: { accessUntil: new Date(Date.now() - DAY) } });
    await app.strapi.plugin('osteocom').service('access').expire(100);
    expect(await row('ml-old', C)).toMatchObject({ status: 'revoked', revokeReason: 'expired' });
  });
  afterAll(() => app.close());

  it('shows name and email with each row, and finds a customer by full name, any order and case, by email or by id', async () => {
    const { data } = await search({ q: 'Luca Bianchi', sort: 'accessEnd', order: 'asc' });
    expect(data.map((each) => [each.userId, each.name, each.surname, each.email, each.channelId, each.channelTitle, each.status])).toEqual([
      ['ml-luca', 'Luca', 'Bianchi', 'luca@example.com', A, catalog[0].title, 'active'],
      ['ml-luca', 'Luca', 'Bianchi', 'luca@example.com', B, catalog[1].title, 'active'],
    ]);
    expect(await keys({ q: 'bianchi LUCA' })).toEqual([`ml-luca ${A} active`, `ml-luca ${B} active`]);
    // "luca" alone is in Gianluca too; "Bianchi" alone is also Olga's surname.
    expect(await keys({ q: 'luca' })).toEqual([`ml-gianluca ${C} revoked`, `ml-luca ${A} active`, `ml-luca ${B} active`]);
    expect(await keys({ q: 'bianchi' })).toEqual([`ml-luca ${A} active`, `ml-luca ${B} active`, `ml-old ${C} expired`]);
    expect(await keys({ q: 'MARIA@example' })).toEqual([`ml-maria ${A} active`]);
    expect(await keys({ q: 'ml-old' })).toEqual([`ml-old ${C} expired`]);
    // LIKE's wildcards are searched as text.
    expect(await keys({ q: '%' })).toEqual([]);
    expect(await keys({ q: 'ml_' })).toEqual([]);
  });

  it('filters by channel, each status, expiring within N days and access end by a day, together', async () => {
    expect(await keys({ channel: A })).toEqual([`ml-luca ${A} active`, `ml-maria ${A} active`]);
    expect(await keys({ status: 'active' })).toEqual([`ml-luca ${A} active`, `ml-luca ${B} active`, `ml-maria ${A} active`]);
    expect(await keys({ status: 'expired' })).toEqual([`ml-old ${C} expired`]);
    expect(await keys({ status: 'revoked' })).toEqual([`ml-gianluca ${C} revoked`]);
    for (const status of ['pending', 'paused', 'scheduled', 'failed']) expect(await keys({ status })).toEqual([]);
    expect(await keys({ expiringWithinDays: 30 })).toEqual([`ml-luca ${A} active`]);
    expect(await keys({ endsBy: new Date(Date.now() + 100 * DAY).toISOString().slice(0, 10) })).toEqual([`ml-luca ${A} active`, `ml-old ${C} expired`]);
    expect(await keys({ channel: A, expiringWithinDays: 365, q: 'rossi' })).toEqual([`ml-maria ${A} active`]);
    const gianluca = (await search({ status: 'revoked' })).data[0];
    expect(gianluca.revokeReason).toBe('chargeback');
  });

  it('sorts by name, email, access end (accesses for good last) and last change, and pages', async () => {
    const order = async (sort: string, direction: string) => (await search({ sort, order: direction })).data.map((each) => `${each.userId} ${each.channelId}`);
    // By surname, then name: Bianchi Luca, Bianchi Olga, Rossi, Verdi.
    expect(await order('name', 'asc')).toEqual([`ml-luca ${A}`, `ml-luca ${B}`, `ml-old ${C}`, `ml-maria ${A}`, `ml-gianluca ${C}`]);
    expect(await order('email', 'desc')).toEqual([`ml-old ${C}`, `ml-maria ${A}`, `ml-luca ${B}`, `ml-luca ${A}`, `ml-gianluca ${C}`]);
    expect(await order('accessEnd', 'asc')).toEqual([`ml-old ${C}`, `ml-luca ${A}`, `ml-maria ${A}`, `ml-luca ${B}`, `ml-gianluca ${C}`]);
    expect((await order('accessEnd', 'desc')).slice(0, 3)).toEqual([`ml-maria ${A}`, `ml-luca ${A}`, `ml-old ${C}`]);
    expect((await order('updatedAt', 'desc'))[0]).toBe(`ml-old ${C}`);

    const pages = [];
    for (let page = 1; page <= 3; page += 1) pages.push(await search({ sort: 'accessEnd', order: 'asc', page, pageSize: 2 }));
    expect(pages.map((each) => each.data.length)).toEqual([2, 2, 1]);
    expect(pages[0].meta.pagination).toMatchObject({ total: 5, pageCount: 3 });
    expect(pages.flatMap((each) => each.data.map((row) => `${row.userId} ${row.channelId}`))).toEqual(await order('accessEnd', 'asc'));
  });

  it('refuses bad filters, sorts and pages with 400 VALIDATION_ERROR', async () => {
    for (const body of [{ status: 'sleeping' }, { sort: 'password' }, { order: 'up' }, { pageSize: 1000 }, { endsBy: '2026-02-30' }, { endsBy: 'tomorrow' }, { expiringWithinDays: 0 }, { q: 'x'.repeat(201) }, { extra: 1 }]) {
      const res = await app.http.post('/osteocom/members/search').set(as(admin)).send(body);
      expect([JSON.stringify(body), res.status, res.body.error?.details?.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_ERROR']);
    }
  });

  it('extends an active access to the end of the picked day in the site zone, across a DST change, without calling Osteocom', async () => {
    const calls = app.sandbox.count();
    // 2027-10-31: Rome leaves summer time (UTC+2 → UTC+1) that night; 2027-03-28 it enters it.
    const autumn = await extend({ rows: [{ userId: 'ml-maria', channelId: A }], date: '2027-10-31' });
    expect(autumn.status).toBe(200);
    expect(autumn.body.data).toEqual({ timeZone: ZONE, results: [{ userId: 'ml-maria', channelId: A, outcome: 'active', accessUntil: '2027-10-31T22:59:59.000Z' }] });
    const spring = await extend({ rows: [{ userId: 'ml-maria', channelId: A }], date: '2027-03-28' });
    expect(spring.body.data.results[0].accessUntil).toBe('2027-03-28T21:59:59.000Z');
    expect(await row('ml-maria', A)).toMatchObject({ status: 'active', accessUntil: '2027-03-28T21:59:59.000Z', price: 1500 });
    // An active access changes its end here only: Osteocom has no end date to tell.
    expect(app.sandbox.count()).toBe(calls);
    const audit = await app.strapi.db.query(AUDIT).findMany({ where: { subjectUserId: 'ml-maria', action: 'extend' }, orderBy: { id: 'asc' } });
    expect(audit.map((each: { details: { accessUntil: string; timeZone: string } }) => [each.details.accessUntil, each.details.timeZone])).toEqual([
      ['2027-10-31T22:59:59.000Z', ZONE],
      ['2027-03-28T21:59:59.000Z', ZONE],
    ]);
  });

  it('extends by months from the current end, leaves an access for good as it is, refuses what cannot be extended per row', async () => {
    const before = (await row('ml-luca', A)).accessUntil as string;
    const res = await extend({
      rows: [
        { userId: 'ml-luca', channelId: A },
        { userId: 'ml-luca', channelId: B },
        { userId: 'ml-nobody', channelId: A },
      ],
      months: 1,
    });
    expect(res.status).toBe(200);
    const [luca, forGood, nobody] = res.body.data.results;
    const end = new Date(luca.accessUntil);
    // The end of the day one month after the old end's day, in Rome.
    const oldDay = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(before));
    const newDay = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(end);
    const [year, month] = oldDay.split('-').map(Number);
    expect(newDay.slice(0, 7)).toBe(`${month === 12 ? year + 1 : year}-${String((month % 12) + 1).padStart(2, '0')}`);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(end)).toBe('23:59:59');
    expect(forGood).toEqual({ userId: 'ml-luca', channelId: B, outcome: 'unchanged', accessUntil: null });
    expect(nobody).toMatchObject({ outcome: 'refused', code: 'ENTITLEMENT_NOT_FOUND' });
    for (const body of [{ rows: [{ userId: 'ml-luca', channelId: A }] }, { rows: [{ userId: 'ml-luca', channelId: A }], months: 1, date: '2027-01-01' }, { rows: [], months: 1 }, { rows: [{ userId: 'ml-luca', channelId: A }], date: '2027-13-01' }]) {
      expect((await extend(body)).status).toBe(400);
    }
    expect((await extend({ rows: [{ userId: 'ml-luca', channelId: A }], date: '2020-01-01' })).body.data.results[0]).toMatchObject({ outcome: 'refused', code: 'VALIDATION_ERROR' });
  });

  it('renews an expired access: bought again at its stored price, active at Osteocom, the reason cleared', async () => {
    const res = await extend({ rows: [{ userId: 'ml-old', channelId: C }], months: 12 });
    expect(res.body.data.results[0]).toMatchObject({ userId: 'ml-old', channelId: C, outcome: 'active' });
    expect(await row('ml-old', C)).toMatchObject({ status: 'active', price: 300, revokeReason: null, pendingOperation: null });
    const activation = app.sandbox.customer('ml-old')!.activations[C];
    expect(activation.cancellationDate ?? null).toBeNull();
    expect(await keys({ q: 'ml-old' })).toEqual([`ml-old ${C} active`]);
  });

  it('keeps why access ended: admin revoke, bulk revoke and the shop back end refund carry a reason, stored and audited', async () => {
    const token = await createApiToken(app, 'full-access');
    const refund = await app.http.post('/api/osteocom/revocations').set(as(token)).send({ userId: 'ml-luca', channelId: B, reason: 'refund' });
    expect(refund.status).toBe(200);
    expect(refund.body.data.entitlements.find((each: { channelKey: string }) => each.channelKey === B).revokeReason).toBe('refund');
    const bulk = await app.http.post('/osteocom/revocations/bulk').set(as(admin)).send({ rows: [{ userId: 'ml-maria', channelId: A, reason: 'Asked by phone, ticket 42' }] });
    expect(bulk.body.data.results[0].outcome).toBe('revoked');
    expect(await row('ml-maria', A)).toMatchObject({ status: 'revoked', revokeReason: 'Asked by phone, ticket 42' });
    expect(app.sandbox.customer('ml-maria')!.activations[A].cancellationDate).toEqual(expect.any(String));
    const audited = await app.strapi.db.query(AUDIT).findMany({ where: { action: 'revoke', subjectUserId: { $in: ['ml-luca', 'ml-maria', 'ml-gianluca'] } }, orderBy: { id: 'asc' } });
    expect(audited.map((each: { subjectUserId: string; details: { revokeReason?: string } }) => [each.subjectUserId, each.details.revokeReason])).toEqual([
      ['ml-gianluca', 'chargeback'],
      ['ml-luca', 'refund'],
      ['ml-maria', 'Asked by phone, ticket 42'],
    ]);
    // The customer page shows the latest reason per entitlement.
    const page = await app.http.get('/osteocom/customers/ml-luca').set(as(admin));
    expect(page.body.data.entitlements.map((each: { channelKey: string; revokeReason: string | null }) => [each.channelKey, each.revokeReason])).toEqual([
      [A, null],
      [B, 'refund'],
    ]);
    // A repeated refund without a reason keeps the one given.
    await app.http.post('/osteocom/revocations').set(as(admin)).send({ userId: 'ml-luca', channelId: B });
    expect(await row('ml-luca', B)).toMatchObject({ revokeReason: 'refund' });
    for (const reason of ['', 'x'.repeat(201), 'line\nbreak', 42]) {
      const res = await app.http.post('/osteocom/revocations').set(as(admin)).send({ userId: 'ml-luca', channelId: A, reason });
      expect([res.status, res.body.error?.details?.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
    expect(await row('ml-luca', A)).toMatchObject({ status: 'active' });
  });
});
