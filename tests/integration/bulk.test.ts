/**
 * Issue 16, bulk purchases: `POST /authorizations/bulk` and `/revocations/bulk` (admin and content
 * API). One result per row, in order; a bad row is refused alone with the code a single call gets;
 * duplicates and repeats write nothing twice; one Osteocom call per customer; Osteocom down
 * mid-bulk leaves rows pending in the outbox, nothing lost. Rows are read from the raw tables.
 */
import { generateCatalog } from '../../sandbox/src';
import { parseImportCsv } from '../../admin/src/utils/importCsv';
import { createAdmin, createApiToken } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

// More channels than one authorization may list (50), so one customer's rows need two calls.
const catalog = generateCatalog({ channels: 52, videosPerChannel: 1 });
const [A, B, C, D] = catalog.map((channel) => channel.idChannel);
const FUTURE = new Date(Date.now() + 365 * 86_400_000).toISOString();
const AUTHORIZE = 'contentAccessAuthorization';

type Row = Record<string, unknown>;

describe('bulk purchases and refunds', () => {
  let app: TestApp;
  let admin: string;
  let shop: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });

  const bulk = (rows: unknown[], url = '/osteocom/authorizations/bulk', token = admin) => app.http.post(url).set('Authorization', `Bearer ${token}`).send({ rows });
  const bulkRevoke = (rows: unknown[]) => bulk(rows, '/osteocom/revocations/bulk');
  const outcomes = (res: { body: { data: { results: { outcome: string; code?: string }[] } } }) =>
    res.body.data.results.map(({ outcome, code }) => (code ? `${outcome} ${code}` : outcome));
  const callsFor = (mark: number, endpoint = AUTHORIZE) => app.sandbox.requests.slice(mark).filter((r) => r.endpoint === endpoint);

  /** The raw rows of a customer: entitlements by channel, and the count of customer rows. */
  const rawRows = async (userIds: string[]) => ({
    entitlements: await app.strapi.db
      .connection('osteocom_entitlements')
      .whereIn('customer_key', userIds)
      .select('customer_key', 'channel_key', 'status', 'operation_id', 'price', 'access_until')
      .orderBy(['customer_key', 'channel_key']),
    customers: await app.strapi.db.connection('osteocom_customers').whereIn('user_id', userIds).select('user_id', 'email', 'name', 'marketing_consent').orderBy('user_id'),
  });
  /** No customer × channel twice, no customer twice, in any table. */
  const expectNoDuplicates = async () => {
    const pairs = await app.strapi.db.connection('osteocom_entitlements').select('customer_key', 'channel_key').count({ n: '*' }).groupBy('customer_key', 'channel_key').havingRaw('count(*) > 1');
    const customers = await app.strapi.db.connection('osteocom_customers').select('user_id').count({ n: '*' }).groupBy('user_id').havingRaw('count(*) > 1');
    expect([pairs, customers]).toEqual([[], []]);
  };

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      // One customer at a time: these tests assert the order of Osteocom's calls; import-validation.test.ts runs customers side by side.
      pluginConfig: { http: { timeoutMs: 1_000, maxAttempts: 1, backoffBaseMs: 10, backoffMaxMs: 50 }, outbox: { backoffBaseSeconds: 1 }, bulk: { concurrency: 1 } },
    });
    admin = (await createAdmin(app, 'super')).token;
    shop = await createApiToken(app, 'custom', ['plugin::osteocom.access.bulkAuthorize', 'plugin::osteocom.access.bulkRevoke']);
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(() => app.close());

  const MIXED: unknown[] = [
    { userId: 'hospital-1', email: 'ward@hospital.example', name: 'Ward', productId: A, price: 100 }, // 0 active
    { userId: 'hospital-1', productId: B }, // 1 active, same call as row 0
    { userId: 'clinic-2', email: 'desk@clinic.example', productId: A, accessUntil: FUTURE }, // 2 active, until FUTURE
    { userId: 'clinic-2', email: 'not-an-email', productId: B }, // 3 INVALID_EMAIL
    { userId: 'clinic-3', productId: 'no-such-channel' }, // 4 UNKNOWN_CHANNEL
    { userId: 'clinic-3', productId: A, price: -1 }, // 5 VALIDATION_ERROR
    { userId: 'hospital-1', email: 'ward@hospital.example', name: 'Ward', productId: A, price: 100 }, // 6 duplicate of 0
    'not a row', // 7 VALIDATION_ERROR
    { userId: 'clinic-4', productId: C, isAdmin: true }, // 8 VALIDATION_ERROR (unknown field)
    { userId: 'clinic-4', productId: C, accessUntil: '2001-01-01T00:00:00Z' }, // 9 VALIDATION_ERROR (past)
    { userId: 'clinic-5', productId: C }, // 10 active
  ];
  const MIXED_OUTCOMES = [
    'active',
    'active',
    'active',
    'refused INVALID_EMAIL',
    'refused UNKNOWN_CHANNEL',
    'refused VALIDATION_ERROR',
    'active',
    'refused VALIDATION_ERROR',
    'refused VALIDATION_ERROR',
    'refused VALIDATION_ERROR',
    'active',
  ];
  const CUSTOMERS = ['hospital-1', 'clinic-2', 'clinic-3', 'clinic-4', 'clinic-5'];

  it('answers every row in order: good rows active, bad rows refused alone, duplicates once; one Osteocom call per customer', async () => {
    const mark = app.sandbox.requests.length;
    const res = await bulk(MIXED);
    expect(res.status).toBe(200);
    expect(outcomes(res)).toEqual(MIXED_OUTCOMES);
    expect(res.body.data.results.map((result: { row: number }) => result.row)).toEqual(MIXED.map((_, index) => index));
    expect(res.body.data.results[0]).toEqual({ row: 0, userId: 'hospital-1', productId: A, outcome: 'active' });
    expect(res.body.data.results[4]).toMatchObject({ userId: 'clinic-3', productId: 'no-such-channel', message: expect.stringContaining('no-such-channel') });

    const calls = callsFor(mark);
    expect(calls.map((call) => (call.body as { userId: string }).userId).sort()).toEqual(['clinic-2', 'clinic-5', 'hospital-1']);
    const hospital = calls.find((call) => (call.body as { userId: string }).userId === 'hospital-1')!.body as { products: unknown[]; email: string };
    expect(hospital.products).toEqual([
      { productId: A, price: 100 },
      { productId: B, price: catalog[1].price },
    ]);
    expect(hospital.email).toBe('ward@hospital.example');

    const { entitlements, customers } = await rawRows(CUSTOMERS);
    expect(entitlements.map((row: Row) => [row.customer_key, row.channel_key, row.status])).toEqual([
      ['clinic-2', A, 'active'],
      ['clinic-5', C, 'active'],
      ['hospital-1', A, 'active'],
      ['hospital-1', B, 'active'],
    ]);
    expect(new Date(Number(entitlements[0].access_until)).toISOString()).toBe(FUTURE);
    // A refused row writes nothing: clinic-2 keeps the good row's address, clinic-3 and -4 do not exist.
    expect(customers.map((row: Row) => [row.user_id, row.email])).toEqual([
      ['clinic-2', 'desk@clinic.example'],
      ['clinic-5', null],
      ['hospital-1', 'ward@hospital.example'],
    ]);
    await expectNoDuplicates();
  });

  it('refuses each bad row with the very code a single authorization of it gets', async () => {
    for (const index of [3, 4, 5, 9]) {
      const { productId, price, accessUntil, ...customer } = MIXED[index] as Row;
      const single = await app.http
        .post('/osteocom/authorizations')
        .set(auth())
        .send({ ...customer, products: [{ productId, ...(price === undefined ? {} : { price }), ...(accessUntil ? { accessUntil } : {}) }] });
      expect([index, single.status, single.body.error.details.code]).toEqual([index, 400, MIXED_OUTCOMES[index].split(' ')[1]]);
    }
  });

  it('is idempotent: the same rows again give the same results, call nobody and change no row', async () => {
    const before = await rawRows(CUSTOMERS);
    const mark = app.sandbox.requests.length;
    const res = await bulk(MIXED);
    expect(outcomes(res)).toEqual(MIXED_OUTCOMES);
    expect(callsFor(mark)).toEqual([]);
    expect(await rawRows(CUSTOMERS)).toEqual(before);
    await expectNoDuplicates();
  });

  it('takes the same rows from a shop back end with an API token (content API), one call per customer', async () => {
    const rows = ['api-1', 'api-2', 'api-3'].flatMap((userId) => [
      { userId, productId: A },
      { userId, productId: D, price: 7 },
    ]);
    const mark = app.sandbox.requests.length;
    const res = await bulk(rows, '/api/osteocom/authorizations/bulk', shop);
    expect(res.status).toBe(200);
    expect(outcomes(res)).toEqual(rows.map(() => 'active'));
    expect(callsFor(mark).map((call) => [(call.body as { userId: string }).userId, (call.body as { products: unknown[] }).products.length])).toEqual([
      ['api-1', 2],
      ['api-2', 2],
      ['api-3', 2],
    ]);
    // The audit names the token.
    const audit = await app.strapi.db.connection('osteocom_audit_events').where({ subject_user_id: 'api-2', action: 'authorize' }).first();
    expect(audit.actor_type).toBe('api-token');
  });

  it('sends a customer with more products than one call may list in as few calls as allowed', async () => {
    const rows = catalog.slice(0, 51).map(({ idChannel }) => ({ userId: 'many-products', productId: idChannel }));
    const mark = app.sandbox.requests.length;
    expect(outcomes(await bulk(rows))).toEqual(rows.map(() => 'active'));
    expect(callsFor(mark).map((call) => (call.body as { products: unknown[] }).products.length)).toEqual([50, 1]);
  });

  it('Osteocom down mid-bulk: the first customer is active, the others pending in the outbox, and the outbox delivers them all', async () => {
    const rows = ['down-1', 'down-2', 'down-3'].flatMap((userId) => [
      { userId, productId: A },
      { userId, productId: B },
    ]);
    // The first call goes through; from then on Osteocom answers 503.
    app.sandbox.inject({ endpoint: AUTHORIZE, latencyMs: 1 });
    app.sandbox.inject({ endpoint: AUTHORIZE, status: 503, times: null });
    const mark = app.sandbox.requests.length;
    const res = await bulk(rows);
    expect(res.status).toBe(200);
    expect(outcomes(res)).toEqual(['active', 'active', 'pending', 'pending', 'pending', 'pending']);
    expect(callsFor(mark)).toHaveLength(3);
    const stored = await rawRows(['down-1', 'down-2', 'down-3']);
    expect(stored.entitlements.map((row: Row) => [row.customer_key, row.status])).toEqual([
      ['down-1', 'active'],
      ['down-1', 'active'],
      ['down-2', 'pending'],
      ['down-2', 'pending'],
      ['down-3', 'pending'],
      ['down-3', 'pending'],
    ]);

    // The same file again while Osteocom is still down: still pending, no second row.
    expect(outcomes(await bulk(rows))).toEqual(['active', 'active', 'pending', 'pending', 'pending', 'pending']);
    await expectNoDuplicates();

    app.sandbox.clearFaults();
    await app.strapi.db.query('plugin::osteocom.entitlement').updateMany({ where: { customerKey: { $in: ['down-2', 'down-3'] } }, data: { nextAttemptAt: new Date(0) } });
    const outboxMark = app.sandbox.requests.length;
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    // The outbox too sends one call per customer.
    expect(callsFor(outboxMark).map((call) => (call.body as { userId: string }).userId).sort()).toEqual(['down-2', 'down-3']);
    expect(outcomes(await bulk(rows))).toEqual(rows.map(() => 'active'));
    expect((await rawRows(['down-1', 'down-2', 'down-3'])).entitlements.map((row: Row) => row.status)).toEqual(rows.map(() => 'active'));
    expect(Object.keys(app.sandbox.customer('down-3')!.activations)).toEqual(expect.arrayContaining([A, B]));
  });

  it('a refusal by Osteocom of one product fails that row alone, with Osteocom’s code', async () => {
    app.sandbox.inject({ endpoint: AUTHORIZE, status: 400, json: { error: 'Product not sold to this account' }, match: { userId: 'refused-1' } });
    app.sandbox.inject({ endpoint: AUTHORIZE, status: 400, json: { error: 'Product not sold to this account' }, match: { userId: 'refused-1' } });
    const res = await bulk([
      { userId: 'refused-1', productId: A },
      { userId: 'refused-1', productId: B },
      { userId: 'fine-1', productId: A },
    ]);
    const [first, second, third] = res.body.data.results;
    // The whole call is refused, then each product alone: A refused, B taken.
    expect([first.outcome, first.code, second.outcome, third.outcome]).toEqual(['refused', 'UPSTREAM_REJECTED', 'active', 'active']);
  });

  it('revokes in bulk: one call per distinct row, duplicates once, unknown and bad rows refused alone; repeated, the same results', async () => {
    const rows = [
      { userId: 'hospital-1', channelId: A }, // revoked
      { userId: 'hospital-1', channelId: A }, // duplicate
      { userId: 'hospital-1', channelId: B }, // revoked
      { userId: 'nobody', channelId: A }, // ENTITLEMENT_NOT_FOUND
      { userId: 'hospital-1', channelId: 'bad id!' }, // VALIDATION_ERROR
      { userId: 'clinic-2', channelId: A, extra: 1 }, // VALIDATION_ERROR
      { userId: 'clinic-5', channelId: C }, // pending: Osteocom down for this customer
    ];
    app.sandbox.inject({ endpoint: 'revocateActivation', status: 503, times: null, match: { userId: 'clinic-5' } });
    const mark = app.sandbox.requests.length;
    const res = await bulkRevoke(rows);
    expect(res.status).toBe(200);
    const expected = ['revoked', 'revoked', 'revoked', 'refused ENTITLEMENT_NOT_FOUND', 'refused VALIDATION_ERROR', 'refused VALIDATION_ERROR', 'pending'];
    expect(outcomes(res)).toEqual(expected);
    expect(res.body.data.results[1]).toEqual({ row: 1, userId: 'hospital-1', channelId: A, outcome: 'revoked' });
    expect(callsFor(mark, 'revocateActivation').map((call) => (call.body as { userId: string; channelId: string }).channelId)).toEqual([A, B, C]);
    const stored = await rawRows(['hospital-1', 'clinic-5']);
    expect(stored.entitlements.map((row: Row) => [row.customer_key, row.channel_key, row.status])).toEqual([
      ['clinic-5', C, 'revoked'],
      ['hospital-1', A, 'revoked'],
      ['hospital-1', B, 'revoked'],
    ]);

    app.sandbox.clearFaults();
    const again = await bulk(rows, '/api/osteocom/revocations/bulk', shop);
    expect(outcomes(again)).toEqual(expected.map((outcome) => (outcome === 'pending' ? 'revoked' : outcome)));
    expect((await rawRows(['hospital-1', 'clinic-5'])).entitlements).toHaveLength(3);
    await expectNoDuplicates();
  });

  it('refuses a request over 1,000 rows as a whole, before looking at any row', async () => {
    const mark = app.sandbox.requests.length;
    const rows = Array.from({ length: 1_001 }, (_, i) => ({ userId: `too-many-${i}`, productId: A }));
    const res = await bulk(rows);
    expect([res.status, res.body.error.details.code]).toEqual([400, 'TOO_MANY_ROWS']);
    expect(callsFor(mark)).toEqual([]);
    expect(await app.strapi.db.connection('osteocom_customers').where('user_id', 'like', 'too-many-%').select('id')).toEqual([]);
    // 1,000 is allowed (ten customers, each row a hundred times: ten calls).
    const allowed = await bulk(Array.from({ length: 1_000 }, (_, i) => ({ userId: `at-limit-${i % 10}`, productId: A })));
    expect(outcomes(allowed)).toEqual(Array.from({ length: 1_000 }, () => 'active'));
    expect(callsFor(mark)).toHaveLength(10);
  });

  it('a CSV dry run finds the problems on their lines; its valid rows then apply as the server checks them', async () => {
    const csv = [
      'userId;email;name;surname;marketingConsent;productId;price;accessUntil', // 1
      `csv-1;one@example.com;Uno;;yes;${A};;${FUTURE}`, // 2
      `csv-1;;;;;${B};12;`, // 3
      `csv-2;;;;maybe;${A};;`, // 4 consent is not yes/no
      '', // 5
      `csv-3;;;;;unknown-channel;;`, // 6 well-formed: only the server knows the catalog
      `csv-4;;;;;${A};-3;`, // 7 negative price
      `csv-5;five@example.com;"Cinque";;no;${B};;`, // 8
    ].join('\r\n');
    const { rows, fileProblems } = parseImportCsv(csv);
    expect(fileProblems).toEqual([]);
    expect(rows.filter((row) => row.problems.length).map((row) => row.line)).toEqual([4, 7]);
    const valid = rows.filter((row) => !row.problems.length);
    const res = await bulk(valid.map((row) => row.row));
    expect(outcomes(res)).toEqual(['active', 'active', 'refused UNKNOWN_CHANNEL', 'active']);
    // Every row the dry run refused, the server refuses too, with the same rule.
    const refused = await bulk(rows.filter((row) => row.problems.length).map((row) => row.row));
    expect(outcomes(refused)).toEqual(['refused VALIDATION_ERROR', 'refused VALIDATION_ERROR']);
    const stored = await rawRows(['csv-1', 'csv-5']);
    expect(stored.entitlements.map((row: Row) => [row.customer_key, row.channel_key, row.price])).toEqual([
      ['csv-1', A, catalog[0].price],
      ['csv-1', B, 12],
      ['csv-5', B, catalog[1].price],
    ]);
    expect(stored.customers.map((row: Row) => [row.user_id, row.email, row.name, Boolean(row.marketing_consent)])).toEqual([
      ['csv-1', 'one@example.com', 'Uno', true],
      ['csv-5', 'five@example.com', 'Cinque', false],
    ]);
  });
});
