/**
 * Issue 26, an import you can trust: the dry run (`POST /osteocom/authorizations/bulk/validate`)
 * refuses exactly what Apply (`/authorizations/bulk`) refuses, with the same code, for generated
 * rows (property); channels named by id, slug or exact title (an ambiguous title refused);
 * customers processed side by side (`bulk.concurrency`) with every money guarantee kept: a
 * customer's rows in one call, no duplicate rows, Osteocom's state equal to the local one.
 * Runs on SQLite, PostgreSQL and MySQL (money path).
 */
import fc from 'fast-check';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 6, videosPerChannel: 1 });
// Two channels share a title: naming that title is ambiguous.
catalog[3] = { ...catalog[3], title: 'Shared title' };
catalog[4] = { ...catalog[4], title: 'Shared title' };
const [A, B, C, SHARED_1, SHARED_2, REMOVED] = catalog.map((channel) => channel.idChannel);
const FUTURE = new Date(Date.now() + 365 * 86_400_000).toISOString();
const AUTHORIZE = 'contentAccessAuthorization';
const FC_OPTIONS = { numRuns: Number(process.env.FC_RUNS ?? 12), seed: Number(process.env.FC_SEED ?? 20261206) };

type Result = { row: number; outcome: string; code?: string; message?: string; productId?: string; userId?: string };

describe('import you can trust: dry run = Apply, channel by slug or title, customers side by side', () => {
  let app: TestApp;
  let admin: string;
  let slugOf: Map<string, string>;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const post = (url: string, rows: unknown[]) => app.http.post(url).set(auth()).send({ rows });
  const validate = (rows: unknown[]) => post('/osteocom/authorizations/bulk/validate', rows);
  const apply = (rows: unknown[]) => post('/osteocom/authorizations/bulk', rows);
  const results = (res: { status: number; body: { data: { results: Result[] } } }) => {
    expect(res.status).toBe(200);
    return res.body.data.results;
  };
  /** A row's verdict: ready (Apply sends it: active or pending) or refused with its code. */
  const verdict = ({ outcome, code }: Result) => (outcome === 'refused' ? `refused ${code}` : 'ready');
  const upstream = (userId: string, channelId: string) => {
    const activation = app.sandbox.customer(userId)?.activations[channelId];
    if (!activation) return 'none';
    return activation.cancellationDate ? 'revoked' : 'active';
  };
  const localRows = async (userIds: string[]) =>
    (await app.strapi.db.connection('osteocom_entitlements').whereIn('customer_key', userIds).select('customer_key', 'channel_key', 'status')) as {
      customer_key: string;
      channel_key: string;
      status: string;
    }[];
  const expectNoDuplicates = async () => {
    const pairs = await app.strapi.db.connection('osteocom_entitlements').select('customer_key', 'channel_key').count({ n: '*' }).groupBy('customer_key', 'channel_key').havingRaw('count(*) > 1');
    const customers = await app.strapi.db.connection('osteocom_customers').select('user_id').count({ n: '*' }).groupBy('user_id').havingRaw('count(*) > 1');
    expect([pairs, customers]).toEqual([[], []]);
  };
  const setEmailRequired = (emailRequired: boolean) => app.http.put('/osteocom/settings').set(auth()).send({ emailRequired });

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { http: { timeoutMs: 60_000 } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
    // One channel removed from the catalog: the sync marks it removed, and a row naming it is refused.
    app.sandbox.removeChannel(REMOVED);
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
    const channels = (await app.strapi.db.connection('osteocom_channels').select('id_channel', 'slug')) as { id_channel: string; slug: string }[];
    slugOf = new Map(channels.map((channel) => [channel.id_channel, channel.slug]));
  });
  afterEach(async () => {
    app.sandbox.clearFaults();
    await setEmailRequired(false);
  });
  afterAll(() => app.close());

  it('the dry run catches what the old dry run let through (a bad email) and writes nothing, calls nobody', async () => {
    const mark = app.sandbox.requests.length;
    const rows = [
      { userId: 'dry-1', email: 'ann@example.com', productId: A },
      { userId: 'dry-2', email: 'not-an-email', productId: A },
      { userId: 'dry-3', productId: 'no-such-channel' },
      { userId: 'dry-4', productId: REMOVED },
      { userId: 'dry-5', productId: 'Shared title' },
    ];
    expect(results(await validate(rows)).map(verdict)).toEqual(['ready', 'refused INVALID_EMAIL', 'refused UNKNOWN_CHANNEL', 'refused UNKNOWN_CHANNEL', 'refused UNKNOWN_CHANNEL']);
    expect(app.sandbox.requests.length).toBe(mark);
    expect(await localRows(['dry-1', 'dry-2', 'dry-3', 'dry-4', 'dry-5'])).toEqual([]);
    expect(await app.strapi.db.connection('osteocom_customers').whereIn('user_id', ['dry-1', 'dry-2']).select('user_id')).toEqual([]);
  });

  it('names a channel by id, slug or exact title; a title two channels share is refused with a clear reason', async () => {
    const rows = [
      { userId: 'ref-1', productId: A },
      { userId: 'ref-2', productId: slugOf.get(B)! },
      { userId: 'ref-3', productId: catalog[2].title },
      { userId: 'ref-4', productId: 'Shared title' },
      { userId: 'ref-5', productId: slugOf.get(SHARED_2)! },
    ];
    const dry = results(await validate(rows));
    expect(dry.map((each) => [verdict(each), each.productId])).toEqual([
      ['ready', A],
      ['ready', B],
      ['ready', C],
      ['refused UNKNOWN_CHANNEL', 'Shared title'],
      ['ready', SHARED_2],
    ]);
    expect(dry[3].message).toBe(`"Shared title" is the title of 2 channels (${[SHARED_1, SHARED_2].sort().join(', ')}): name the channel by its id or slug.`);

    const applied = results(await apply(rows));
    expect(applied.map((each) => [each.outcome, each.productId])).toEqual([
      ['active', A],
      ['active', B],
      ['active', C],
      ['refused', 'Shared title'],
      ['active', SHARED_2],
    ]);
    // Stored and sent under the channel's id, whatever the row called it.
    expect((await localRows(['ref-1', 'ref-2', 'ref-3', 'ref-5'])).map((row) => [row.customer_key, row.channel_key]).sort()).toEqual([
      ['ref-1', A],
      ['ref-2', B],
      ['ref-3', C],
      ['ref-5', SHARED_2],
    ]);
    expect([upstream('ref-2', B), upstream('ref-3', C), upstream('ref-4', SHARED_1)]).toEqual(['active', 'active', 'none']);
  });

  it('with emailRequired on, a customer with no email stated or stored is refused by the dry run as by Apply', async () => {
    results(await apply([{ userId: 'stored-email', email: 'kept@example.com', productId: A }]));
    expect((await setEmailRequired(true)).status).toBe(200);
    const rows = [
      { userId: 'no-email', productId: A },
      { userId: 'stored-email', productId: B },
      { userId: 'late-email', productId: A },
      { userId: 'late-email', email: 'late@example.com', productId: B },
    ];
    const expected = ['refused EMAIL_REQUIRED', 'ready', 'ready', 'ready'];
    expect(results(await validate(rows)).map(verdict)).toEqual(expected);
    expect(results(await apply(rows)).map(verdict)).toEqual(expected);
  });

  it('property: for generated rows, the dry run refuses exactly the rows Apply refuses, with the same code', async () => {
    let run = 0;
    const emails = fc.constantFrom(undefined, 'ok@example.com', 'not-an-email', 'a@b', '', '  ', 'x'.repeat(300));
    const products = fc.constantFrom(A, B, slugOf.get(C)!, catalog[0].title, 'Shared title', REMOVED, 'unknown-channel', '', '<b>');
    const prices = fc.constantFrom(undefined, 0, 100, -1, 1.5, '10');
    const untils = fc.constantFrom(undefined, FUTURE, '2001-01-01T00:00:00Z', 'tomorrow');
    const row = fc.record(
      { customer: fc.integer({ min: 0, max: 3 }), email: emails, productId: products, price: prices, accessUntil: untils, marketingConsent: fc.constantFrom(undefined, true, 'yes') },
      { requiredKeys: ['customer', 'productId'] }
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), fc.boolean(), async (generated, emailRequired) => {
        run += 1;
        await setEmailRequired(emailRequired);
        const rows = generated.map(({ customer, ...fields }) =>
          Object.fromEntries(Object.entries({ userId: `prop-${run}-${customer}`, ...fields }).filter(([, value]) => value !== undefined))
        );
        const dry = results(await validate(rows)).map(verdict);
        const applied = results(await apply(rows)).map(verdict);
        expect(applied).toEqual(dry);
      }),
      FC_OPTIONS
    );
    await expectNoDuplicates();
  });

  it('sends customers side by side, at most bulk.concurrency (16, the default) at a time, and keeps every guarantee', async () => {
    const customers = Array.from({ length: 24 }, (_, index) => `side-${index}`);
    // side-0 appears three times across the file: its rows go out in one call, in order.
    const rows = [
      ...customers.map((userId) => ({ userId, email: `${userId}@example.com`, productId: A })),
      { userId: 'side-0', productId: B },
      { userId: 'side-0', productId: slugOf.get(C)!, price: 5 },
    ];
    // Every call held at Osteocom until released: how many are in flight at once is then exact, not timed.
    app.sandbox.inject({ endpoint: AUTHORIZE, hold: true, latencyPhase: 'before', times: null });
    const mark = app.sandbox.requests.length;
    const pending = apply(rows).then((res) => res);
    // Sixteen calls at Osteocom at once, not one after another (and never more than sixteen).
    await waitFor('sixteen customers in flight', () => app.sandbox.inFlight(AUTHORIZE) === 16);
    let maxInFlight = 0;
    let answered = false;
    void pending.then(() => (answered = true));
    while (!answered) {
      maxInFlight = Math.max(maxInFlight, app.sandbox.inFlight(AUTHORIZE));
      app.sandbox.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(maxInFlight).toBeLessThanOrEqual(16);
    const res = await pending;
    expect(results(res).map((each) => each.outcome)).toEqual(rows.map(() => 'active'));
    const calls = app.sandbox.requests.slice(mark).filter((request) => request.endpoint === AUTHORIZE);
    expect(calls).toHaveLength(customers.length);
    const side0 = calls.find((call) => (call.body as { userId: string }).userId === 'side-0')!.body as { products: unknown[] };
    expect(side0.products).toEqual([
      { productId: A, price: catalog[0].price },
      { productId: B, price: catalog[1].price },
      { productId: C, price: 5 },
    ]);
    // Osteocom holds what the database holds, pair by pair.
    const local = await localRows(customers);
    expect(local).toHaveLength(customers.length + 2);
    for (const each of local) expect([each.customer_key, each.channel_key, each.status, upstream(each.customer_key, each.channel_key)]).toEqual([each.customer_key, each.channel_key, 'active', 'active']);
    await expectNoDuplicates();
  });

  it('two bulk requests naming the same customers at once: no row twice, Osteocom state == local, a repeat changes nothing', async () => {
    const customers = Array.from({ length: 12 }, (_, index) => `twice-${index}`);
    const first = customers.map((userId) => ({ userId, productId: A }));
    const second = customers.map((userId) => ({ userId, productId: slugOf.get(A)! }));
    const [one, two] = await Promise.all([apply(first), apply(second)]);
    // A pair the other request is sending meanwhile answers `pending` (recorded; its call lands), never refused or twice.
    expect(new Set([...results(one), ...results(two)].map((each) => each.outcome === 'active' || each.outcome === 'pending'))).toEqual(new Set([true]));
    await waitFor('both requests settled', async () => (await localRows(customers)).every((row) => row.status === 'active'));
    const local = await localRows(customers);
    expect(local.map((row) => [row.customer_key, row.status, upstream(row.customer_key, A)]).sort()).toEqual(customers.map((userId) => [userId, 'active', 'active']).sort());
    await expectNoDuplicates();
    const mark = app.sandbox.requests.length;
    expect(results(await apply(first)).map((each) => each.outcome)).toEqual(first.map(() => 'active'));
    expect(app.sandbox.requests.slice(mark).filter((request) => request.endpoint === AUTHORIZE)).toEqual([]);
  });
});
