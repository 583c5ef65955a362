/**
 * Issue 26, members export: `GET /osteocom/entitlements/export` writes the entitlements a filter
 * selects as the bulk import's CSV (plus `status`), streamed a page at a time, formula cells made
 * inert, audited, behind its own RBAC action. The file goes back through the Import page's parser
 * and the bulk route and comes out the same.
 */
import Papa from 'papaparse';
import { generateCatalog } from '../../sandbox/src';
import { parseImportCsv } from '../../admin/src/utils/importCsv';
import { EXPORT_COLUMNS } from '../../shared/contracts/members-export';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const [A, B, C] = catalog.map((channel) => channel.idChannel);
const DAY = 86_400_000;
const SOON = new Date(Date.now() + 10 * DAY).toISOString();
const LATER = new Date(Date.now() + 300 * DAY).toISOString();
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const CUSTOMER = 'plugin::osteocom.customer';

/** The history the filters are checked on: `mx-` customers only, so other tests' rows stay out of a `q=mx-` export. */
const ROWS = [
  {
    userId: 'mx-ada',
    email: 'ada@example.com',
    name: 'Ada',
    surname: 'Lovelace',
    marketingConsent: true,
    productId: A,
    price: 1200,
    accessUntil: SOON,
  },
  { userId: 'mx-ada', productId: B, price: 0, accessUntil: LATER },
  {
    userId: 'mx-bob',
    email: 'bob@example.com',
    name: '=HYPERLINK("http://evil.example","x")',
    surname: '+1',
    marketingConsent: false,
    productId: A,
    price: 500,
  },
  { userId: 'mx-cy', email: 'cy@example.com', productId: C, price: 900, accessUntil: LATER },
];

type Line = Record<(typeof EXPORT_COLUMNS)[number], string>;

describe('members export', () => {
  let app: TestApp;
  let admin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const exportCsv = (query: Record<string, string | number>, token = admin) =>
    app.http
      .get('/osteocom/entitlements/export')
      .query(query)
      .set(as(token))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
  const linesOf = (text: string) => {
    const parsed = Papa.parse<Line>(text.trim(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...EXPORT_COLUMNS]);
    return parsed.data;
  };
  const keysOf = (lines: Line[]) =>
    lines.map((line) => `${line.userId} ${line.productId} ${line.status}`).sort();
  const bulk = (rows: unknown[], url: string) => app.http.post(url).set(as(admin)).send({ rows });

  beforeAll(async () => {
    // One customer after another: the export is in row-id order and the round trip compares the files byte for byte.
    app = await startTestApp({ sandbox: { catalog }, pluginConfig: { bulk: { concurrency: 1 } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(as(admin))).body.data.status).toBe(
      'succeeded'
    );
    const bought = await bulk(ROWS, '/osteocom/authorizations/bulk');
    expect(bought.body.data.results.map((result: { outcome: string }) => result.outcome)).toEqual([
      'active',
      'active',
      'active',
      'active',
    ]);
    const refunded = await bulk([{ userId: 'mx-cy', channelId: C }], '/osteocom/revocations/bulk');
    expect(refunded.body.data.results.map((result: { outcome: string }) => result.outcome)).toEqual(
      ['revoked']
    );
  });
  afterAll(() => app.close());

  it('answers a CSV download in the import columns plus status, formula cells made inert', async () => {
    const res = await exportCsv({ q: 'mx-' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="osteocom-members-\d{4}-\d{2}-\d{2}\.csv"$/
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = linesOf(res.body as string);
    expect(lines).toEqual([
      {
        userId: 'mx-ada',
        email: 'ada@example.com',
        name: 'Ada',
        surname: 'Lovelace',
        marketingConsent: 'true',
        productId: A,
        price: '1200',
        accessUntil: SOON,
        status: 'active',
      },
      {
        userId: 'mx-ada',
        email: 'ada@example.com',
        name: 'Ada',
        surname: 'Lovelace',
        marketingConsent: 'true',
        productId: B,
        price: '0',
        accessUntil: LATER,
        status: 'active',
      },
      // A spreadsheet opens these as text, not as a formula.
      {
        userId: 'mx-bob',
        email: 'bob@example.com',
        name: `'=HYPERLINK("http://evil.example","x")`,
        surname: "'+1",
        marketingConsent: 'false',
        productId: A,
        price: '500',
        accessUntil: '',
        status: 'active',
      },
      {
        userId: 'mx-cy',
        email: 'cy@example.com',
        name: '',
        surname: '',
        marketingConsent: '',
        productId: C,
        price: '900',
        accessUntil: LATER,
        status: 'revoked',
      },
    ]);
  });

  it('applies the filters together: channel, status, expiring within N days, customer search', async () => {
    const keys = async (query: Record<string, string | number>) =>
      keysOf(linesOf((await exportCsv({ q: 'mx-', ...query })).body as string));
    expect(await keys({ channel: A })).toEqual([`mx-ada ${A} active`, `mx-bob ${A} active`]);
    expect(await keys({ status: 'revoked' })).toEqual([`mx-cy ${C} revoked`]);
    expect(await keys({ expiringWithinDays: 30 })).toEqual([`mx-ada ${A} active`]);
    expect(await keys({ expiringWithinDays: 365 })).toEqual([
      `mx-ada ${A} active`,
      `mx-ada ${B} active`,
    ]);
    expect(await keys({ q: 'LOVELACE' })).toEqual([`mx-ada ${A} active`, `mx-ada ${B} active`]);
    expect(await keys({ q: 'bob@', channel: B })).toEqual([]);
    expect(await keys({ channel: C, status: 'active' })).toEqual([]);
  });

  it('refuses bad filters with 400 VALIDATION_ERROR', async () => {
    for (const query of [
      { status: 'sleeping' },
      { expiringWithinDays: 0 },
      { expiringWithinDays: 'soon' },
      { channel: '<x>' },
    ]) {
      const res = await app.http.get('/osteocom/entitlements/export').query(query).set(as(admin));
      expect([res.status, res.body.error?.details?.code]).toEqual([400, 'VALIDATION_ERROR']);
    }
  });

  it('round trip: the export of active access, imported through the bulk route onto an empty table, exports the same file', async () => {
    const before = (await exportCsv({ q: 'mx-', status: 'active' })).body as string;
    const parsed = parseImportCsv(before);
    expect(parsed.fileProblems).toEqual([]);
    expect(parsed.rows.flatMap((row) => row.problems)).toEqual([]);
    // The site loses its tables (Osteocom keeps the access): the file puts them back.
    await app.strapi.db
      .query(ENTITLEMENT)
      .deleteMany({ where: { customerKey: { $startsWith: 'mx-' } } });
    await app.strapi.db.query(CUSTOMER).deleteMany({ where: { userId: { $startsWith: 'mx-' } } });
    expect(linesOf((await exportCsv({ q: 'mx-' })).body as string)).toEqual([]);

    const imported = await bulk(
      parsed.rows.map((row) => row.row),
      '/osteocom/authorizations/bulk'
    );
    expect(imported.body.data.results.map((result: { outcome: string }) => result.outcome)).toEqual(
      ['active', 'active', 'active']
    );
    expect((await exportCsv({ q: 'mx-', status: 'active' })).body).toBe(before);
    // The formula came back as the customer's name, not as the inert cell.
    expect(
      (await app.strapi.db.query(CUSTOMER).findOne({ where: { userId: 'mx-bob' } })).name
    ).toBe('=HYPERLINK("http://evil.example","x")');
  });

  it('pages through the table by id: every row once, in order, across pages', async () => {
    const count = 1_234;
    const ids = Array.from({ length: count }, (_, index) => `pg-${String(index).padStart(5, '0')}`);
    await app.strapi.db
      .query(CUSTOMER)
      .createMany({ data: ids.map((userId) => ({ userId, email: `${userId}@example.com` })) });
    await app.strapi.db
      .query(ENTITLEMENT)
      .createMany({
        data: ids.map((userId) => ({
          entitlementKey: `${userId}::${C}`,
          customerKey: userId,
          channelKey: C,
          status: 'active',
          price: 1,
          version: 0,
        })),
      });
    const bySearch = linesOf((await exportCsv({ q: 'pg-' })).body as string);
    expect(bySearch.map((line) => line.userId)).toEqual(ids);
    expect(bySearch[count - 1]).toMatchObject({
      email: `pg-01233@example.com`,
      productId: C,
      price: '1',
      status: 'active',
    });
    const byChannel = linesOf((await exportCsv({ channel: C, status: 'active' })).body as string);
    expect(byChannel.map((line) => line.userId)).toEqual(ids);
  });

  it('needs its own action: an editor who may read and authorize gets 403; the export is audited with who and which filter', async () => {
    const editor = (
      await createAdmin(app, [
        'plugin::osteocom.read',
        'plugin::osteocom.authorize',
        'plugin::osteocom.customers.export',
      ])
    ).token;
    const res = await app.http.get('/osteocom/entitlements/export').set(as(editor));
    expect(res.status).toBe(403);
    const exporter = await createAdmin(app, ['plugin::osteocom.members.export']);
    const allowed = await exportCsv({ channel: B, q: 'ada' }, exporter.token);
    expect(allowed.status).toBe(200);
    expect(keysOf(linesOf(allowed.body as string))).toEqual([`mx-ada ${B} active`]);

    const events = await app.strapi.db
      .query('plugin::osteocom.audit-event')
      .findMany({ where: { action: 'export-members' }, orderBy: { id: 'desc' }, limit: 1 });
    const user = await app.strapi.db
      .query('admin::user')
      .findOne({ where: { email: exporter.email } });
    expect(events[0]).toMatchObject({
      outcome: 'success',
      actorType: 'admin',
      actorId: String(user.id),
    });
    const details =
      typeof events[0].details === 'string' ? JSON.parse(events[0].details) : events[0].details;
    expect(details).toEqual({ filter: { channel: B, q: 'ada' } });
  });
});
