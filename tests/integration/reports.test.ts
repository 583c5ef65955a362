/**
 * Issue 26, reports: `GET /osteocom/reports?from&to&interval` against a known history of
 * purchases, refunds and expiries (rows written with their dates), by month, week and day, and a
 * purchase and a refund made through the routes today; the top channels and every channel a page
 * at a time; a period's ranking kept while the ledger before its end is unchanged, and its part
 * before today while a sale today is read; bad periods refused with stable codes.
 */
import type { Knex } from 'knex';
import { REPORT_TOP_CHANNELS, type ReportChannel } from '../../shared/contracts/reports';
import { generateCatalog } from '../../sandbox/src';
import { createAccessEventRepository, type AccessEvent } from '../../server/src/repositories/access-event-repository';
import { createAccessTallyRepository } from '../../server/src/repositories/access-tally-repository';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 12, videosPerChannel: 1 });
const [A, B, C] = catalog.map((channel) => channel.idChannel);
/** Channels bought only by the top-channels test, more than a report names. */
const MORE = catalog.slice(3);
const ENTITLEMENT = 'plugin::osteocom.entitlement';

const at = (iso: string) => new Date(iso);
/** The history, 2026-01-01 to 2026-03-31 being the period asked for. */
const HISTORY = [
  // Bought in January, still active.
  {
    customerKey: 'rp-1',
    channelKey: A,
    price: 1000,
    status: 'active',
    authorizedAt: at('2026-01-05T10:00:00Z'),
  },
  // Bought in January, refunded in February.
  {
    customerKey: 'rp-2',
    channelKey: A,
    price: 1000,
    status: 'revoked',
    authorizedAt: at('2026-01-20T09:00:00Z'),
    revokedAt: at('2026-02-03T12:00:00Z'),
  },
  // Bought before the period, ran out on February 15 (revoked by the expiry job just after): no refund.
  {
    customerKey: 'rp-3',
    channelKey: B,
    price: 500,
    status: 'revoked',
    authorizedAt: at('2025-12-20T00:00:00Z'),
    accessUntil: at('2026-02-15T00:00:00Z'),
    revokedAt: at('2026-02-15T00:05:00Z'),
  },
  // Bought and refunded in March, before its end.
  {
    customerKey: 'rp-4',
    channelKey: B,
    price: 500,
    status: 'revoked',
    authorizedAt: at('2026-03-10T00:00:00Z'),
    accessUntil: at('2026-12-31T00:00:00Z'),
    revokedAt: at('2026-03-12T00:00:00Z'),
  },
  // The period's last millisecond.
  {
    customerKey: 'rp-1',
    channelKey: C,
    price: 2500,
    status: 'active',
    authorizedAt: at('2026-03-31T23:59:59.999Z'),
  },
  // Just after it.
  {
    customerKey: 'rp-5',
    channelKey: C,
    price: 700,
    status: 'active',
    authorizedAt: at('2026-04-01T00:00:00Z'),
  },
  // A purchase refunded before Osteocom confirmed it: a refund, but no access ended.
  {
    customerKey: 'rp-6',
    channelKey: A,
    price: 300,
    status: 'revoked',
    revokedAt: at('2026-02-10T00:00:00Z'),
  },
  // Bought and refunded before the period.
  {
    customerKey: 'rp-7',
    channelKey: B,
    price: 400,
    status: 'revoked',
    authorizedAt: at('2025-11-01T00:00:00Z'),
    revokedAt: at('2025-12-01T00:00:00Z'),
  },
];

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };

describe('reports', () => {
  let app: TestApp;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const report = (query: Record<string, string>, token = admin) =>
    app.http.get('/osteocom/reports').query(query).set(as(token));

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(as(admin))).body.data.status).toBe(
      'succeeded'
    );
    for (const row of HISTORY) {
      await app.strapi.db.query(ENTITLEMENT).create({
        data: { ...row, entitlementKey: `${row.customerKey}::${row.channelKey}`, version: 0 },
      });
    }
    // Rows written as a site upgraded to the ledger would hold them: the ledger is filled from them once.
    const reports = app.strapi.plugin('osteocom').service('reports');
    expect(await reports.backfillLedger()).toBe(12);
    expect(await reports.backfillLedger()).toBe(0);
    // ...and the tallies from the ledger, once.
    expect(await reports.backfillTallies()).toBeGreaterThan(0);
    expect(await reports.backfillTallies()).toBe(0);
  });
  afterAll(() => app.close());

  it('by month: purchases and revenue, refunds and refunded amounts, active access carried through refunds and expiries', async () => {
    const res = await report({ ...PERIOD, interval: 'month' });
    expect(res.status).toBe(200);
    expect(res.body.data.totals).toEqual({
      purchases: 4,
      refunds: 3,
      revenue: 5000,
      refundedAmount: 1800,
      activeCustomers: 1,
      activeEntitlements: 2,
    });
    expect(res.body.data.series).toEqual([
      {
        start: '2026-01-01T00:00:00.000Z',
        purchases: 2,
        refunds: 0,
        revenue: 2000,
        activeEntitlements: 3,
      },
      {
        start: '2026-02-01T00:00:00.000Z',
        purchases: 0,
        refunds: 2,
        revenue: 0,
        activeEntitlements: 1,
      },
      {
        start: '2026-03-01T00:00:00.000Z',
        purchases: 2,
        refunds: 1,
        revenue: 3000,
        activeEntitlements: 2,
      },
    ]);
    expect(res.body.data.channels).toEqual([
      {
        idChannel: C,
        title: catalog[2].title,
        purchases: 1,
        refunds: 0,
        revenue: 2500,
        activeEntitlements: 1,
      },
      {
        idChannel: A,
        title: catalog[0].title,
        purchases: 2,
        refunds: 2,
        revenue: 2000,
        activeEntitlements: 1,
      },
      {
        idChannel: B,
        title: catalog[1].title,
        purchases: 1,
        refunds: 1,
        revenue: 500,
        activeEntitlements: 0,
      },
    ]);
    expect(res.body.data.channelCount).toBe(3);
  });

  it("by week: buckets start on the period's first day, then on Mondays (UTC); by day: the last millisecond in the last day", async () => {
    const weekly = (await report({ ...PERIOD, interval: 'week' })).body.data;
    expect(weekly.series).toHaveLength(14);
    expect(weekly.series.slice(0, 3).map((bucket: { start: string }) => bucket.start)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    ]);
    expect(weekly.series[13].start).toBe('2026-03-30T00:00:00.000Z');
    expect(weekly.series.map((bucket: { purchases: number }) => bucket.purchases)).toEqual([
      0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1,
    ]);
    // Week of Feb 9: the unconfirmed refund (Feb 10) counts as a refund but ends no access; the expiry (Feb 15) ends one.
    expect(weekly.series[6]).toEqual({
      start: '2026-02-09T00:00:00.000Z',
      purchases: 0,
      refunds: 1,
      revenue: 0,
      activeEntitlements: 1,
    });
    expect(weekly.totals).toEqual(
      (await report({ ...PERIOD, interval: 'month' })).body.data.totals
    );

    const daily = (await report({ ...PERIOD, interval: 'day' })).body.data;
    expect(daily.series).toHaveLength(90);
    expect(daily.series[89]).toEqual({
      start: '2026-03-31T00:00:00.000Z',
      purchases: 1,
      refunds: 0,
      revenue: 2500,
      activeEntitlements: 2,
    });
    expect(daily.series[0]).toEqual({
      start: '2026-01-01T00:00:00.000Z',
      purchases: 0,
      refunds: 0,
      revenue: 0,
      activeEntitlements: 1,
    });
  });

  it('counts a purchase and a refund made through the routes today', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const bought = await app.http
      .post('/osteocom/authorizations')
      .set(as(admin))
      .send({
        userId: 'rp-live',
        products: [
          { productId: A, price: 1500 },
          { productId: B, price: 800 },
        ],
      });
    expect(bought.status).toBe(200);
    expect(
      (
        await app.http
          .post('/osteocom/revocations')
          .set(as(admin))
          .send({ userId: 'rp-live', channelId: B })
      ).status
    ).toBe(200);
    const { totals, series } = (await report({ from: today, to: today })).body.data;
    expect(totals).toEqual({
      purchases: 2,
      refunds: 1,
      revenue: 2300,
      refundedAmount: 800,
      activeCustomers: 3,
      activeEntitlements: 4,
    });
    expect(series).toEqual([
      {
        start: `${today}T00:00:00.000Z`,
        purchases: 2,
        refunds: 1,
        revenue: 2300,
        activeEntitlements: 4,
      },
    ]);
  });

  it('a refund stays in the report when the customer buys the channel again (the ledger is append-only)', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const totals = async () => (await report({ from: today, to: today })).body.data.totals;
    const history = async () => (await report({ ...PERIOD, interval: 'month' })).body.data;
    const [before, pastBefore] = [await totals(), await history()];
    const buy = () =>
      app.http
        .post('/osteocom/authorizations')
        .set(as(admin))
        .send({ userId: 'rp-again', products: [{ productId: C, price: 900 }] });
    expect((await buy()).status).toBe(200);
    expect(
      (
        await app.http
          .post('/osteocom/revocations')
          .set(as(admin))
          .send({ userId: 'rp-again', channelId: C })
      ).status
    ).toBe(200);
    expect((await buy()).status).toBe(200);
    const after = await totals();
    const change = Object.fromEntries(
      Object.entries(after).map(([key, value]) => [key, (value as number) - before[key]])
    );
    expect(change).toEqual({
      purchases: 2,
      refunds: 1,
      revenue: 1800,
      refundedAmount: 900,
      activeCustomers: 1,
      activeEntitlements: 1,
    });
    // Re-sending an active access is no purchase, and the past is as it was.
    expect(
      (
        await app.http
          .post('/osteocom/authorizations')
          .set(as(admin))
          .send({ userId: 'rp-again', products: [{ productId: C, price: 900 }] })
      ).status
    ).toBe(200);
    expect(await totals()).toEqual(after);
    expect(await history()).toEqual(pastBefore);
  });

  it('keeps its tallies exact write by write: concurrent purchases of one customer count one customer, an expiry recorded after a later purchase, all equal to the tallies rebuilt from the ledger', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const wide = { from: '2025-01-01', to: today, interval: 'month' };
    const totals = async () => (await report({ from: today, to: today })).body.data.totals;
    const buy = (userId: string, productId: string) =>
      app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, products: [{ productId, price: 100 }] });
    const before = await totals();
    const raced = await Promise.all([
      ...[A, B, C].map((channel) => buy('rp-race', channel)),
      ...[1, 2, 3, 4].map((i) => buy(`rp-race-${i}`, A)),
    ]);
    expect(raced.map((res) => res.status)).toEqual(Array(7).fill(200));
    expect(await totals()).toEqual({
      ...before,
      purchases: before.purchases + 7,
      revenue: before.revenue + 700,
      activeCustomers: before.activeCustomers + 5,
      activeEntitlements: before.activeEntitlements + 7,
    });

    // rp-late's access to A ends between its purchase and that of B, and the expiry is recorded
    // after B's purchase, dated at A's end: the customer stays active throughout.
    expect((await buy('rp-late', A)).status).toBe(200);
    expect((await buy('rp-late', B)).status).toBe(200);
    const entitlements = app.strapi.db.query(ENTITLEMENT);
    const bought = async (channel: string) => entitlements.findOne({ where: { entitlementKey: `rp-late::${channel}` } });
    const [lateA, lateB] = [await bought(A), await bought(B)];
    const [boughtA, boughtB] = [lateA, lateB].map((row) => new Date(row.authorizedAt).getTime());
    expect(boughtB).toBeGreaterThan(boughtA);
    await entitlements.update({ where: { id: lateA.id }, data: { accessUntil: new Date((boughtA + boughtB) / 2) } });
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    expect((await entitlements.findOne({ where: { id: lateA.id } })).status).toBe('revoked');
    const kept = await report(wide);
    expect(kept.body.data.totals.activeCustomers).toBe(before.activeCustomers + 6);

    // The same report from tallies rebuilt from the ledger, as an upgraded site's boot fills them.
    await app.strapi.db.connection('osteocom_access_days').delete();
    await app.strapi.db.connection('osteocom_access_counts').delete();
    expect(await app.strapi.plugin('osteocom').service('reports').backfillTallies()).toBeGreaterThan(0);
    expect((await report(wide)).body.data).toEqual(kept.body.data);
  });

  it('names its top channels and lists every channel a page at a time, in the same order', async () => {
    const today = new Date().toISOString().slice(0, 10);
    // To tomorrow: a run that crosses midnight UTC still sees the purchases it made.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const bought = await app.http
      .post('/osteocom/authorizations')
      .set(as(admin))
      .send({ userId: 'rp-top', products: MORE.map((channel, i) => ({ productId: channel.idChannel, price: 1100 + i * 100 })) });
    expect(bought.status).toBe(200);

    const { channels, channelCount } = (await report({ from: today, to: tomorrow })).body.data;
    // A and B (bought or refunded today by the tests above) and the nine bought here.
    expect(channelCount).toBeGreaterThanOrEqual(MORE.length + 2);
    expect(channels).toHaveLength(REPORT_TOP_CHANNELS);

    const pages: ReportChannel[] = [];
    for (let page = 1; page <= Math.ceil(channelCount / 5); page++) {
      const res = await app.http.get('/osteocom/reports/channels').query({ from: today, to: tomorrow, page, pageSize: 5 }).set(as(admin));
      expect(res.status).toBe(200);
      expect(res.body.meta.pagination).toEqual({ page, pageSize: 5, total: channelCount, pageCount: Math.ceil(channelCount / 5) });
      pages.push(...res.body.data);
    }
    expect(pages).toHaveLength(channelCount);
    expect(pages.slice(0, REPORT_TOP_CHANNELS)).toEqual(channels);
    const ranked = [...pages].sort(
      (a, b) => b.revenue - a.revenue || b.activeEntitlements - a.activeEntitlements || (a.idChannel < b.idChannel ? -1 : 1)
    );
    expect(pages).toEqual(ranked);
    MORE.forEach((channel, i) =>
      expect(pages.find((row) => row.idChannel === channel.idChannel)).toEqual({
        idChannel: channel.idChannel,
        title: channel.title,
        purchases: 1,
        refunds: 0,
        revenue: 1100 + i * 100,
        activeEntitlements: 1,
      })
    );
    // Past the last page: no rows, the same total.
    const past = await app.http.get('/osteocom/reports/channels').query({ from: today, to: tomorrow, page: 99 }).set(as(admin));
    expect(past.body).toEqual({ data: [], meta: { pagination: { page: 99, pageSize: 25, total: channelCount, pageCount: Math.ceil(channelCount / 25) } } });
    const reversed = await app.http.get('/osteocom/reports/channels').query({ from: today, to: '2026-01-01' }).set(as(admin));
    expect([reversed.status, reversed.body.error?.details?.code]).toEqual([400, 'INVALID_PERIOD']);
  });

  it("keeps a period's channel ranking while the ledger before its end is unchanged, and ranks afresh after an event dated in it, written late", async () => {
    const month = { ...PERIOD, interval: 'month' };
    const page = async () => (await app.http.get('/osteocom/reports/channels').query(PERIOD).set(as(admin))).body.data;
    const before = (await report(month)).body.data;
    const pageBefore = await page();
    const [, , , , , , , , , , , X] = catalog;
    const knex = app.strapi.db.connection;
    const event: AccessEvent = {
      eventKey: 'rp-kept:late',
      customerKey: 'rp-kept',
      channelKey: X.idChannel,
      kind: 'purchase',
      delta: 1,
      price: 99_999,
      // A day the history already has, so its row is there before the column.
      at: Date.parse('2026-02-15T10:00:00Z'),
    };

    // A ledger row the day tallies were not told of (no production write does this): the kept
    // ranking does not read the ledger again, so the row does not show.
    const [ghost] = await knex('osteocom_access_events')
      .insert({ event_key: 'rp-kept:ghost', customer_key: 'rp-kept', channel_key: X.idChannel, kind: 'purchase', delta: 0, price: 99_999, at: event.at })
      .returning('id');
    expect((await report(month)).body.data.channels).toEqual(before.channels);
    expect(await page()).toEqual(pageBefore);
    await knex('osteocom_access_events').where('id', typeof ghost === 'object' ? ghost.id : ghost).delete();

    // The days as a site upgraded to the stamp holds them: its new column is NULL (Strapi's schema
    // sync gives columns no default); ranked and kept again with that stamp.
    await knex('osteocom_access_days').update({ events: null });
    expect((await report(month)).body.data.channels).toEqual(before.channels);

    // A purchase dated in the past period, written as an entitlement write writes it (the ledger
    // and its tallies in one transaction), as a server recording an event late would.
    await knex.transaction(async (trx: Knex.Transaction) => {
      const tallies = createAccessTallyRepository(app.strapi);
      await tallies.lockCustomer(trx, event);
      await createAccessEventRepository(app.strapi).append(trx, event);
      await tallies.record(trx, event);
    });
    const after = (await report(month)).body.data;
    expect(after.channels[0]).toEqual({ idChannel: X.idChannel, title: X.title, purchases: 1, refunds: 0, revenue: 99_999, activeEntitlements: 1 });
    expect(after.channels.slice(1)).toEqual(before.channels.slice(0, REPORT_TOP_CHANNELS - 1));
    expect(after.channelCount).toBe(before.channelCount + 1);
    expect(after.totals.purchases).toBe(before.totals.purchases + 1);
    expect((await page())[0]).toEqual(after.channels[0]);
  });

  it('a sale today re-reads today only: the earlier part of a period running to today is kept', async () => {
    const utcDay = () => new Date().toISOString().slice(0, 10);
    const X = catalog[10].idChannel;
    const zero = { idChannel: A, title: catalog[0].title, purchases: 0, refunds: 0, revenue: 0, activeEntitlements: 0 };
    const knex = app.strapi.db.connection;
    /** Ranks a period running to today, then writes a row into its earlier part unseen by the tallies, and sells today. */
    const saleAfterRanking = async (run: number) => {
      const day = utcDay();
      const wide = { from: '2026-01-01', to: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) };
      const everyChannel = async () =>
        new Map<string, ReportChannel>(
          ((await app.http.get('/osteocom/reports/channels').query({ ...wide, pageSize: 100 }).set(as(admin))).body.data as ReportChannel[]).map((row) => [row.idChannel, row])
        );
      const before = await everyChannel();
      // As above, a ledger row the tallies were not told of, dated in the earlier part.
      const [ghost] = await knex('osteocom_access_events')
        .insert({ event_key: `rp-split:ghost:${run}`, customer_key: 'rp-split', channel_key: X, kind: 'purchase', delta: 0, price: 99_999, at: Date.parse('2026-02-16T10:00:00Z') })
        .returning('id');
      try {
        const bought = await app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId: `rp-split-${run}`, products: [{ productId: A, price: 7_777 }] });
        expect(bought.status).toBe(200);
        return { before, after: await everyChannel(), sameDay: utcDay() === day };
      } finally {
        await knex('osteocom_access_events').where('id', typeof ghost === 'object' ? ghost.id : ghost).delete();
      }
    };
    // Midnight (UTC) passing during a run moves the split, and the period is read whole: run it again.
    let run = await saleAfterRanking(1);
    if (!run.sameDay) run = await saleAfterRanking(2);
    const was = run.before.get(A) ?? zero;
    expect(run.after.get(A)).toEqual({ ...was, purchases: was.purchases + 1, revenue: was.revenue + 7_777, activeEntitlements: was.activeEntitlements + 1 });
    // The earlier part was not read again: the row written into it does not show.
    expect(run.after.get(X)).toEqual(run.before.get(X));
  });

  it('refuses bad periods with stable codes', async () => {
    const code = async (query: Record<string, string>) => {
      const res = await report(query);
      return [res.status, res.body.error?.details?.code];
    };
    expect(await code({ from: '2026-02-01', to: '2026-01-31' })).toEqual([400, 'INVALID_PERIOD']);
    expect(await code({ from: '2020-01-01', to: '2026-01-01', interval: 'day' })).toEqual([
      400,
      'TOO_MANY_BUCKETS',
    ]);
    expect(await code({ from: '2020-01-01', to: '2026-01-01', interval: 'month' })).toEqual([
      200,
      undefined,
    ]);
    expect(await code({ from: '2026-13-01', to: '2026-12-31' })).toEqual([400, 'VALIDATION_ERROR']);
    expect(await code({ from: '2026-01-01T00:00:00Z', to: '2026-01-31' })).toEqual([
      400,
      'VALIDATION_ERROR',
    ]);
    expect(await code({ from: '2026-01-01', to: '2026-01-31', interval: 'year' })).toEqual([
      400,
      'VALIDATION_ERROR',
    ]);
    expect(await code({ from: '2026-01-01' })).toEqual([400, 'VALIDATION_ERROR']);
  });

  it('needs its own action', async () => {
    const reader = (await createAdmin(app, ['plugin::osteocom.read'])).token;
    expect((await report(PERIOD, reader)).status).toBe(403);
    const viewer = (await createAdmin(app, ['plugin::osteocom.reports.view'])).token;
    expect((await report(PERIOD, viewer)).status).toBe(200);
    const channels = (token: string) => app.http.get('/osteocom/reports/channels').query(PERIOD).set(as(token));
    expect((await channels(reader)).status).toBe(403);
    expect((await channels(viewer)).status).toBe(200);
  });
});
