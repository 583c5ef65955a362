/**
 * Production readiness, bad input: property-based bodies, query strings, path parameters and
 * headers against every plugin route, sent by a caller who IS allowed, so that validation is what
 * answers. Invalid input is always a 4xx with `error.details.code` (never a 5xx), never reaches
 * Osteocom and writes nothing. The runs are seeded (FC_SEED, FC_RUNS to explore further).
 */
import fc from 'fast-check';
import { generateCatalog } from '../../sandbox/src';
import adminRoutes from '../../server/src/routes/admin';
import contentApiRoutes from '../../server/src/routes/content-api';
import { ERROR_CODES } from '../../server/src/errors';
import { OSTEOCOM_EVENTS } from '../../shared/contracts/webhook-events';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const FC_OPTIONS = { numRuns: Number(process.env.FC_RUNS ?? 40), seed: Number(process.env.FC_SEED ?? 20261126) };

const catalog = generateCatalog({ channels: 3, videosPerChannel: 2 });
const owned = catalog[0];
const CUSTOMER = 'bad-input-customer';
/** Erased (again and again: the route is idempotent) by the erase route's probes. */
const ERASABLE = 'bad-input-erasable';

// ---------------------------------------------------------------------------------------------
// Input classes

/** SQL- and NoSQL-looking text, path tricks and markup. */
const HOSTILE = [
  "' OR 1=1 --",
  '" OR ""="',
  "admin'--",
  '1; DROP TABLE osteocom_channels; --',
  '{"$gt":""}',
  '$where',
  '{"$where":"sleep(1000)"}',
  '$ne',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  'a\u0000b',
];
const HUGE = ['x'.repeat(100_000), '😀'.repeat(30_000), "'".repeat(100_000)];
/**
 * URLs cannot carry 100 kB: Node answers 431 for request headers over 16 kB before Strapi sees
 * them. Up to two long parameters per URL, each at most ~6 kB once percent-encoded.
 */
const LONG_FOR_URL = ['x'.repeat(6_000), "'".repeat(1_900)];

const hostile = fc.constantFrom(...HOSTILE);
const huge = fc.constantFrom(...HUGE);
/** Any code points, lone surrogates and control characters included. */
const unicode = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const wrongType = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constant({ $gt: '' }),
  fc.constant({ $where: 'this.a == 1' })
);
const notString = wrongType;
const notBoolean = fc.oneof(wrongType.filter((v) => typeof v !== 'boolean'), fc.constantFrom('true', 'false', 'yes', '1', ''));

const UPSTREAM_ID = /^[A-Za-z0-9_.:-]+$/;
/** Never a valid Osteocom id (channel, video). */
const invalidUpstreamId = fc.oneof(
  notString,
  hostile,
  huge,
  fc.constantFrom('', '   ', 'a'.repeat(129), 'a b', 'é', 'id/../x', 'id%2Fx'),
  unicode.filter((text) => !UPSTREAM_ID.test(text.trim()))
);
/** A well-formed id nobody has: 404, still without an upstream call. */
const unknownUpstreamId = fc.stringMatching(/^[a-z0-9]{6,20}$/).map((id) => `unknown-${id}`);
/** Never a valid customer id (userIds may be any printable text, SQL-looking included). */
const invalidUserId = fc.oneof(
  notString,
  huge,
  fc.constantFrom('', '   ', '\t\n', 'a'.repeat(192)),
  fc.string({ maxLength: 10 }).map((text) => `${text}\u0007`),
  fc.string({ maxLength: 10 }).map((text) => `\u0000${text}`)
);
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

// ---------------------------------------------------------------------------------------------
// Bodies: a valid body with one or more mutations, each of which alone makes it invalid

type Json = unknown;
type Mutation = { set: (string | number)[]; value: Json } | { drop: string } | { replace: Json };

const applyMutations = (base: Record<string, Json>, mutations: Mutation[]): Json => {
  let body: Json = structuredClone(base);
  for (const mutation of mutations) {
    if ('replace' in mutation) {
      body = mutation.replace;
      continue;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) continue;
    if ('drop' in mutation) {
      delete (body as Record<string, Json>)[mutation.drop];
      continue;
    }
    let node = body as Record<string | number, Json>;
    for (const key of mutation.set.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string | number, Json>;
    }
    Object.defineProperty(node, mutation.set.at(-1)!, { value: mutation.value, enumerable: true, writable: true, configurable: true });
  }
  return body;
};

const set = (path: (string | number)[], value: fc.Arbitrary<Json>): fc.Arbitrary<Mutation> => value.map((v) => ({ set: path, value: v }));
const drop = (key: string): fc.Arbitrary<Mutation> => fc.constant({ drop: key });
/** A key the schema does not know, prototype-pollution names included. */
const unknownKey = (known: string[]): fc.Arbitrary<Mutation> =>
  fc
    .tuple(fc.oneof(protoKey.filter((key) => key !== '__proto__'), fc.constantFrom('isAdmin', 'role', '$where', 'id', 'documentId'), fc.string({ minLength: 1, maxLength: 12 })), fc.jsonValue({ maxDepth: 2 }))
    .filter(([key]) => !known.includes(key) && key !== '__proto__')
    .map(([key, value]) => ({ set: [key], value }));
const notAnObject = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.constant([])).map((value): Mutation => ({ replace: value }));

const mutated = (base: () => Record<string, Json>, mutation: fc.Arbitrary<Mutation>) =>
  fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => ({ body: applyMutations(base(), mutations), mutations }));

const AUTHORIZE_KEYS = ['userId', 'email', 'marketingConsent', 'name', 'surname', 'products'];
const authorizeBase = () => ({ userId: CUSTOMER, email: 'ann@example.com', products: [{ productId: owned.idChannel }] });
const authorizeMutation = fc.oneof(
  set(['userId'], invalidUserId),
  drop('userId'),
  drop('products'),
  set(
    ['products'],
    fc.oneof(
      fc.constant([]),
      notString.filter((v) => !Array.isArray(v) || v.length > 0),
      fc.constant(Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}` }))),
      fc.constant([{ productId: owned.idChannel }, { productId: owned.idChannel }]),
      fc.constant([{ productId: owned.idChannel, extra: 1 }]),
      fc.constant([owned.idChannel])
    )
  ),
  set(['products', 0, 'productId'], fc.oneof(invalidUpstreamId, unknownUpstreamId)),
  set(['products', 0, 'price'], fc.oneof(fc.constantFrom(-1, 1.5, 100_000_001, '10', null, Number.MAX_SAFE_INTEGER), notString.filter((v) => typeof v !== 'number'))),
  // A later start: past, not an instant, or not before the end.
  set(['products', 0, 'accessFrom'], fc.oneof(notString, fc.constantFrom('2001-01-01T00:00:00Z', 'tomorrow', '2099-13-01T00:00:00Z', '', '2026-01-01'))),
  set(['products', 0], fc.constant({ productId: owned.idChannel, accessFrom: '2098-01-02T00:00:00Z', accessUntil: '2098-01-01T00:00:00Z' })),
  set(['email'], fc.oneof(notString, huge, fc.constantFrom('no-at-sign', 'a@b', '@example.com', 'a b@example.com', 'ann@example', ...HOSTILE))),
  set(['marketingConsent'], notBoolean),
  set(['name'], fc.oneof(notString.filter((v) => typeof v !== 'string'), fc.constantFrom('', '   ', 'x'.repeat(101)), huge)),
  set(['surname'], fc.oneof(notString.filter((v) => typeof v !== 'string'), fc.constantFrom('', 'x'.repeat(101)), huge)),
  unknownKey(AUTHORIZE_KEYS),
  notAnObject
);
/** Consent without an email is refused locally: the test account requires emails (`emailRequired`). */
const authorizeBodies = fc.oneof(
  mutated(authorizeBase, authorizeMutation),
  fc.constant({ body: { userId: 'no-email-on-file', marketingConsent: true, products: [{ productId: owned.idChannel }] }, mutations: [] as Mutation[] })
);

const revokeBodies = fc.oneof(
  mutated(
    () => ({ userId: CUSTOMER, channelId: owned.idChannel }),
    fc.oneof(
      set(['userId'], invalidUserId),
      drop('userId'),
      set(['channelId'], fc.oneof(invalidUpstreamId, unknownUpstreamId)),
      drop('channelId'),
      unknownKey(['userId', 'channelId', 'reason']),
      // Why access ends: at most 200 characters of plain text, not blank.
      set(['reason'], fc.oneof(notString, huge, fc.constantFrom('', '   ', 'x'.repeat(201), 'a\u0000b', 'line\nbreak'))),
      notAnObject
    )
  ),
  // Well-formed, hostile-looking customer ids are data: no such entitlement, 404.
  fc.tuple(fc.oneof(hostile, unicode.filter((text) => text.trim() !== '' && !/\p{Cc}/u.test(text))), fc.constantFrom(owned.idChannel, catalog[1].idChannel)).map(([userId, channelId]) => ({
    body: { userId, channelId },
    mutations: [] as Mutation[],
  }))
);

/** A bulk request refused as a whole: no envelope, not a list, no rows, too many rows, unknown fields. */
const bulkEnvelopeMutation = fc.oneof(
  drop('rows'),
  set(['rows'], fc.oneof(fc.constant([]), notString.filter((v) => !Array.isArray(v) || v.length === 0), hostile, huge)),
  set(['rows'], fc.constantFrom(1_001, 1_500).map((n) => Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, productId: 'p' })))),
  unknownKey(['rows']),
  notAnObject
);
const bulkAuthorizeBodies = mutated(() => ({ rows: [{ userId: CUSTOMER, email: 'ann@example.com', productId: owned.idChannel }] }), bulkEnvelopeMutation);
const bulkRevokeBodies = mutated(() => ({ rows: [{ userId: CUSTOMER, channelId: owned.idChannel }] }), bulkEnvelopeMutation);

/** A bulk row that a single call would refuse: refused alone, in a 200 reply. */
const badAuthorizeRows = mutated(
  () => ({ rows: [{ userId: CUSTOMER, email: 'ann@example.com', productId: owned.idChannel }] }),
  fc.oneof(
    set(['rows', 0, 'userId'], invalidUserId),
    set(['rows', 0], fc.constant({ productId: owned.idChannel })),
    set(['rows', 0, 'productId'], fc.oneof(invalidUpstreamId, unknownUpstreamId)),
    set(['rows', 0, 'price'], fc.oneof(fc.constantFrom(-1, 1.5, 100_000_001, '10', null), notString.filter((v) => typeof v !== 'number'))),
    set(['rows', 0, 'email'], fc.oneof(notString, huge, fc.constantFrom('no-at-sign', 'a@b', '@example.com', 'a b@example.com', ...HOSTILE))),
    set(['rows', 0, 'marketingConsent'], notBoolean),
    set(['rows', 0, 'accessUntil'], fc.oneof(notString, fc.constantFrom('2001-01-01T00:00:00Z', 'tomorrow', '2099-13-01T00:00:00Z', ''))),
    set(['rows', 0, 'accessFrom'], fc.oneof(notString, fc.constantFrom('2001-01-01T00:00:00Z', 'tomorrow', '2099-13-01T00:00:00Z', ''))),
    set(['rows', 0, 'products'], fc.constant([{ productId: owned.idChannel }])),
    set(['rows', 0], fc.oneof(notString.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), hostile))
  )
);
const badRevokeRows = mutated(
  () => ({ rows: [{ userId: CUSTOMER, channelId: owned.idChannel }] }),
  fc.oneof(
    set(['rows', 0, 'userId'], invalidUserId),
    set(['rows', 0, 'channelId'], fc.oneof(invalidUpstreamId, unknownUpstreamId)),
    set(['rows', 0, 'isAdmin'], fc.jsonValue({ maxDepth: 1 })),
    set(['rows', 0], fc.oneof(notString.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)), hostile))
  )
);

const videoTokenBodies = mutated(
  () => ({ videoId: owned.video[0].videoId }),
  fc.oneof(
    set(['videoId'], fc.oneof(invalidUpstreamId, unknownUpstreamId)),
    drop('videoId'),
    set(['userId'], invalidUserId),
    unknownKey(['videoId', 'userId']),
    notAnObject
  )
);

/** The admin's customer search: the text and the page travel in the body (URLs are logged). */
const searchBodies = mutated(
  () => ({ q: 'ann', page: 1, pageSize: 10 }),
  fc.oneof(
    set(['q'], fc.oneof(notString, huge, fc.constantFrom('x'.repeat(201), 'a\u0000b', 'x\u0007'))),
    set(['page'], fc.oneof(wrongType.filter((v) => !Number.isInteger(v) || (v as number) < 1 || (v as number) > 100_000), fc.constantFrom(0, -1, 1.5, 100_001, '2'))),
    set(['pageSize'], fc.oneof(wrongType.filter((v) => !Number.isInteger(v) || (v as number) < 1 || (v as number) > 100), fc.constantFrom(0, 101, 2.5, '10'))),
    unknownKey(['q', 'page', 'pageSize']),
    notAnObject
  )
);

/** The member list's search: each filter, sort and page bound broken in turn. */
const memberSearchBodies = mutated(
  () => ({ q: 'ann', status: 'active', sort: 'name', order: 'asc', page: 1, pageSize: 10 }),
  fc.oneof(
    set(['q'], fc.oneof(notString, huge, fc.constantFrom('x'.repeat(201), 'a\u0000b'))),
    set(['status'], fc.oneof(wrongType, fc.constantFrom('sleeping', 'ACTIVE', ''))),
    set(['sort'], fc.oneof(wrongType, fc.constantFrom('password', 'accessKey', ''))),
    set(['order'], fc.oneof(wrongType, fc.constantFrom('up', 'DESC'))),
    set(['channel'], fc.oneof(wrongType, fc.constantFrom('<x>', ''))),
    set(['expiringWithinDays'], fc.constantFrom(0, -1, 366, 1.5, 'soon')),
    set(['endsBy'], fc.oneof(wrongType, fc.constantFrom('2026-02-30', 'tomorrow', '2026-1-1', '2026-12-20T00:00:00Z'))),
    set(['pageSize'], fc.constantFrom(0, 101, 2.5, '10')),
    unknownKey(['q', 'status', 'sort', 'order', 'channel', 'expiringWithinDays', 'endsBy', 'page', 'pageSize']),
    notAnObject
  )
);

/** Extensions: rows, and either a date or months, each broken in turn. */
const extensionBodies = mutated(
  () => ({ rows: [{ userId: CUSTOMER, channelId: owned.idChannel }], months: 1 }),
  fc.oneof(
    set(['months'], fc.oneof(wrongType.filter((v) => !Number.isInteger(v) || (v as number) < 1 || (v as number) > 120), fc.constantFrom(0, 121, 1.5, '1'))),
    set(['date'], fc.oneof(notString, fc.constantFrom('2026-02-30', 'tomorrow', '2027-01-01'))),
    drop('months'),
    set(['rows'], fc.oneof(wrongType, fc.constant([]), fc.constant(Array.from({ length: 101 }, () => ({ userId: CUSTOMER, channelId: owned.idChannel }))))),
    set(['rows', 0, 'channelId'], fc.constantFrom('<x>', '', 7)),
    set(['rows', 0, 'reason'], fc.constant('refund')),
    unknownKey(['rows', 'months', 'date']),
    notAnObject
  )
);

/** Cron-looking text that is not a cron rule, among other wrong values. */
const invalidCron = fc.oneof(
  notString,
  huge,
  fc.constantFrom('', 'every day please', '* * * *', '* * * * * * *', '99 99 99 99 99', '61 * * * *', '* 25 * * *', 'a b c d e', 'L W # ? ?', '*/0 * * * *', '0 0 31 2 * * 1', ...HOSTILE),
  fc.array(fc.stringMatching(/^[A-Za-z#?LW]{1,3}$/), { minLength: 5, maxLength: 6 }).map((fields) => fields.join(' ')),
  fc.array(fc.integer({ min: 60, max: 9999 }).map(String), { minLength: 5, maxLength: 6 }).map((fields) => fields.join(' '))
);
const SETTINGS_KEYS = ['environment', 'baseUrl', 'clientId', 'clientSecret', 'syncEnabled', 'syncCron', 'syncTz', 'playerUrlTemplate', 'reminderDays', 'reminderLocale', 'reminderSubject', 'reminderBody', 'siteName', 'reminderDigestEmail'];
const settingsBodies = mutated(
  () => ({}),
  fc.oneof(
    set(['environment'], fc.oneof(notString, hostile, huge, fc.constantFrom('staging', 'TEST', 'Production', ''))),
    // Set through the environment in these tests, so locked: any value is refused.
    set(['baseUrl'], fc.oneof(notString, hostile, huge, fc.constantFrom('ftp://x', 'javascript:alert(1)', 'http://127.0.0.1:1/sv6'))),
    set(['clientId'], fc.oneof(notString, hostile, huge, fc.constant('other-client'))),
    set(['clientSecret'], fc.oneof(notString, hostile, huge, fc.constant('other-secret'))),
    set(['syncEnabled'], notBoolean),
    set(['syncCron'], invalidCron),
    set(['syncTz'], fc.oneof(notString, hostile, huge, fc.constantFrom('Mars/Olympus_Mons', 'UTC+25', ''))),
    set(['playerUrlTemplate'], fc.oneof(notString.filter((v) => v !== null), hostile, huge, fc.constantFrom('javascript:{token}', 'https://player.example.com/no-token', 'ftp://x/{token}', '{token}'))),
    set(['reminderDays'], fc.oneof(notString.filter((v) => !Number.isInteger(v) || (v as number) < 0 || (v as number) > 365), fc.constantFrom(-1, 366, 1.5, '7', 1e9))),
    set(['reminderLocale'], fc.oneof(notString, hostile, fc.constantFrom('fr', 'EN', 'it-IT', ''))),
    set(['reminderSubject'], fc.oneof(notString.filter((v) => v !== null), huge, fc.constantFrom('', '   ', 'Hi {{email}}', '{{password}}', '{{ constructor }}'))),
    set(['reminderBody'], fc.oneof(notString.filter((v) => v !== null), huge, fc.constantFrom('', 'Your key {{accessKey}}', '{{__proto__}}'))),
    set(['siteName'], fc.oneof(notString.filter((v) => v !== null), huge, fc.constantFrom('', '  '))),
    set(['reminderDigestEmail'], fc.oneof(notString.filter((v) => v !== null), hostile, huge, fc.constantFrom('owner', 'owner@', '@example.com', 'a b@example.com'))),
    unknownKey(SETTINGS_KEYS),
    notAnObject
  )
);

// ---------------------------------------------------------------------------------------------
// Query strings and path parameters

type Pair = [string, string];
const qs = (pairs: Pair[]) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : '');
/** encodeURIComponent, except that lone surrogates go out as U+FFFD (as any client would send them). */
const enc = (text: string) => encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));

/**
 * One parameter made invalid: a bad value, an array or an object (`key[$gt]=`); numbers also as a
 * malformed percent-encoding (which stays text, so it is a valid search or user id).
 */
const badParam = (key: string, values: fc.Arbitrary<string>, numeric = false): fc.Arbitrary<Pair[]> =>
  fc.oneof(
    values.map((value): Pair[] => [[key, enc(value)]]),
    fc.constant<Pair[]>([[`${key}[]`, '1'], [`${key}[]`, '2']]),
    fc.tuple(fc.constantFrom('$gt', '$ne', '$where', '$in', '$or'), fc.constantFrom('', '1', 'x')).map(([op, value]): Pair[] => [[`${key}[${enc(op)}]`, enc(value)]]),
    ...(numeric ? [fc.constant<Pair[]>([[key, '%E0%A4%A']])] : [])
  );
const badPage = badParam('page', fc.constantFrom('0', '-1', '1.5', 'abc', '1e400', '100001', ' ', 'NaN', 'Infinity', ...HOSTILE), true);
const badPageSize = badParam('pageSize', fc.constantFrom('0', '-5', '101', '2.5', 'all', '1e9', 'Infinity', ...HOSTILE), true);
const badQ = badParam('q', fc.constantFrom('x'.repeat(201), ...LONG_FOR_URL));
const badStatus = badParam('status', fc.constantFrom('deleted', 'AVAILABLE', '', ...HOSTILE));
const badUserIdParam = badParam('userId', fc.constantFrom('', '   ', 'a\u0001b', 'a'.repeat(192), ...LONG_FOR_URL));
const badAttention = badParam('attention', fc.constantFrom('yes', '1', 'TRUE', '', ...HOSTILE));
const badExpiring = badParam('expiringWithinDays', fc.constantFrom('0', '-1', '366', '1.5', 'soon', '1e400', 'Infinity', '', ' ', ...HOSTILE), true);
const badChannel = badParam('channel', fc.constantFrom('', 'a b', '<x>', 'x'.repeat(129), "1' OR '1'='1"));
const badEntitlementStatus = badParam('status', fc.constantFrom('deleted', 'ACTIVE', '', ' ', 'suspended', 'PAUSED', 'sleeping'));
const badDay = (key: string) => badParam(key, fc.constantFrom('2026-13-01', '20260101', '', 'yesterday', '2026-01-01T00:00:00Z', '1e400'));
const badInterval = badParam('interval', fc.constantFrom('year', 'DAY', '', 'hour'));
const badWait = badParam('wait', fc.constantFrom('yes', '1', 'TRUE', '', ...HOSTILE));
const validExtras = fc.subarray<Pair>([['page', '1'], ['pageSize', '10'], ['unknown', 'ignored'], ['sort', 'title:asc']]);

/** At least one invalid parameter, mixed with valid ones, in any order. */
const badQuery = (...invalid: fc.Arbitrary<Pair[]>[]) =>
  fc
    .tuple(fc.array(fc.oneof(...invalid), { minLength: 1, maxLength: 2 }), validExtras)
    .chain(([bad, extras]) => fc.shuffledSubarray([...bad.flat(), ...extras], { minLength: bad.flat().length + extras.length }))
    .filter((pairs) => pairs.length > 0);

const badIdSegment = fc.oneof(
  hostile,
  unicode.filter((text) => !UPSTREAM_ID.test(text.trim())),
  fc.constantFrom(...LONG_FOR_URL, 'a'.repeat(129), ' ', 'a b', 'x/y', '%'),
  fc.constant('%E0%A4%A').map((raw) => ({ raw }))
);
const unknownIdSegment = unknownUpstreamId;
const segment = (value: string | { raw: string }) => (typeof value === 'string' ? enc(value) : value.raw);
const badUserIdSegment = fc.oneof(
  fc.constantFrom(...LONG_FOR_URL, 'a'.repeat(192), '   ', '\u0001', 'a\u0007b'),
  // Well-formed (user ids may be any printable text): no such customer, 404.
  hostile.filter((text) => !/\p{Cc}/u.test(text)),
  unicode.filter((text) => text.trim() !== '' && text.trim().length <= 191 && !/\p{Cc}/u.test(text) && !/[\uD800-\uDFFF]/.test(text))
);

// ---------------------------------------------------------------------------------------------

interface Probe {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  body?: Json;
}

describe('bad input', () => {
  let app: TestApp;
  let admin: string;
  let endUser: string;
  let shop: string;
  const counts = new Map<string, number>();

  const asAdmin = (): string | undefined => admin;
  const asPublic = (): string | undefined => undefined;

  const call = ({ method, url, body }: Probe, token?: string, headers: [string, string][] = []) => {
    const req = app.http[method.toLowerCase() as 'get' | 'post' | 'put'](url);
    for (const [name, value] of headers) req.set(name, value);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return body === undefined ? req : req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  };

  const rows = async () => {
    const [customers, entitlements] = await Promise.all([
      app.strapi.db.query('plugin::osteocom.customer').count(),
      app.strapi.db.query('plugin::osteocom.entitlement').count(),
    ]);
    return { customers, entitlements };
  };

  /** The request reaches the plugin and its validation answers: a 4xx with a known code, nothing else. */
  const expectRefused = async (probe: Probe, token: string | undefined, label: string) => {
    const upstream = app.sandbox.count();
    const before = probe.method === 'GET' ? undefined : await rows();
    const res = await call(probe, token);
    counts.set(label, (counts.get(label) ?? 0) + 1);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toMatchObject({ data: null, error: { status: res.status, message: expect.any(String), details: { code: expect.any(String) } } });
    expect(Object.keys(ERROR_CODES)).toContain(res.body.error.details.code);
    expect(res.text).not.toMatch(/\n\s+at /);
    expect(app.sandbox.count()).toBe(upstream);
    if (before) expect(await rows()).toEqual(before);
    return res;
  };

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      pluginConfig: { emailRequired: true, videoToken: { rateLimit: { max: 100_000, windowSeconds: 60 } } },
    });
    admin = (await createAdmin(app, 'super')).token;
    const run = await call({ method: 'POST', url: '/osteocom/sync?wait=true' }, admin);
    expect(run.body.data.status).toBe('succeeded');
    const user = await createEndUser(app);
    endUser = user.jwt;
    shop = await createApiToken(app, 'custom', [
      'plugin::osteocom.access.authorize',
      'plugin::osteocom.access.revoke',
      'plugin::osteocom.access.bulkAuthorize',
      'plugin::osteocom.access.bulkRevoke',
      'plugin::osteocom.access.pause',
      'plugin::osteocom.access.resume',
    ]);
    for (const userId of [CUSTOMER, ERASABLE, user.user.documentId]) {
      const res = await call({ method: 'POST', url: '/osteocom/authorizations', body: { userId, email: 'ann@example.com', products: [{ productId: owned.idChannel }] } }, admin);
      expect(res.status).toBe(200);
    }
  });

  afterAll(() => app.close());

  const property = <T>(label: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<unknown>) =>
    fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        counts.set(`${label} (runs)`, (counts.get(`${label} (runs)`) ?? 0) + 1);
        await check(value);
      }),
      FC_OPTIONS
    );

  describe('bodies', () => {
    it.each([
      ['admin POST /authorizations', '/osteocom/authorizations', () => admin],
      ['content-api POST /authorizations', '/api/osteocom/authorizations', () => shop],
    ])('%s: every invalid authorization is a 4xx with a code, no upstream call, no row written', async (label, url, token) => {
      await property(label, authorizeBodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url, body }, token(), label);
        expect(['VALIDATION_ERROR', 'EMAIL_REQUIRED', 'INVALID_EMAIL', 'UNKNOWN_CHANNEL']).toContain(res.body.error.details.code);
      });
    });

    it('admin POST /entitlements/resend-attention: it takes no body; any field or a non-object is a 400 with no upstream call and no row written', async () => {
      const label = 'admin POST /entitlements/resend-attention';
      const bodies = fc.oneof(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((key) => key !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 }),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })
      );
      await property(label, bodies, async (body) => {
        const res = await expectRefused({ method: 'POST', url: '/osteocom/entitlements/resend-attention', body }, admin, label);
        expect(['VALIDATION_ERROR', 'MALFORMED_REQUEST']).toContain(res.body.error.details.code);
      });
    });

    it.each([
      ['admin POST /revocations', '/osteocom/revocations', () => admin],
      ['content-api POST /revocations', '/api/osteocom/revocations', () => shop],
      ['admin POST /entitlements/resend', '/osteocom/entitlements/resend', () => admin],
    ])('%s: every invalid or unknown revocation is a 4xx with a code, no upstream call', async (label, url, token) => {
      await property(label, revokeBodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url, body }, token(), label);
        expect(['VALIDATION_ERROR', 'ENTITLEMENT_NOT_FOUND']).toContain(res.body.error.details.code);
      });
    });

    it.each([
      ['admin POST /pauses', '/osteocom/pauses', () => admin, 'ACCESS_NOT_ACTIVE'],
      ['content-api POST /pauses', '/api/osteocom/pauses', () => shop, 'ACCESS_NOT_ACTIVE'],
      ['admin POST /resumptions', '/osteocom/resumptions', () => admin, 'ACCESS_NOT_PAUSED'],
      ['content-api POST /resumptions', '/api/osteocom/resumptions', () => shop, 'ACCESS_NOT_PAUSED'],
    ])('%s: every invalid body, or an access that cannot be paused or resumed, is a 4xx with a code, no upstream call', async (label, url, token, conflict) => {
      await property(label, revokeBodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url, body }, token(), label);
        expect(['VALIDATION_ERROR', conflict]).toContain(res.body.error.details.code);
      });
    });

    it.each([
      ['admin POST /authorizations/bulk', '/osteocom/authorizations/bulk', bulkAuthorizeBodies, () => admin],
      ['admin POST /authorizations/bulk/validate', '/osteocom/authorizations/bulk/validate', bulkAuthorizeBodies, () => admin],
      ['content-api POST /authorizations/bulk', '/api/osteocom/authorizations/bulk', bulkAuthorizeBodies, () => shop],
      ['admin POST /revocations/bulk', '/osteocom/revocations/bulk', bulkRevokeBodies, () => admin],
      ['content-api POST /revocations/bulk', '/api/osteocom/revocations/bulk', bulkRevokeBodies, () => shop],
    ] as const)('%s: every invalid request is a 400 with a code, no upstream call, no row written', async (label, url, bodies, token) => {
      await property(label, bodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url, body }, token(), label);
        expect(['VALIDATION_ERROR', 'TOO_MANY_ROWS']).toContain(res.body.error.details.code);
        const rows = (body as { rows?: unknown })?.rows;
        // Too many rows in an otherwise well-formed envelope: the row count is the reason given.
        if (Array.isArray(rows) && rows.length > 1_000 && Object.keys(body as object).length === 1) expect(res.body.error.details.code).toBe('TOO_MANY_ROWS');
      });
    });

    it.each([
      ['admin POST /authorizations/bulk', '/osteocom/authorizations/bulk', badAuthorizeRows, ['VALIDATION_ERROR', 'INVALID_EMAIL', 'UNKNOWN_CHANNEL']],
      ['admin POST /authorizations/bulk/validate', '/osteocom/authorizations/bulk/validate', badAuthorizeRows, ['VALIDATION_ERROR', 'INVALID_EMAIL', 'UNKNOWN_CHANNEL']],
      ['admin POST /revocations/bulk', '/osteocom/revocations/bulk', badRevokeRows, ['VALIDATION_ERROR', 'ENTITLEMENT_NOT_FOUND']],
    ] as const)('%s: a row a single call would refuse is refused alone, with its code, no upstream call, no row written', async (label, url, bodies, codes) => {
      await property(`${label} rows`, bodies, async ({ body }) => {
        const upstream = app.sandbox.count();
        const before = await rows();
        const res = await call({ method: 'POST', url, body }, admin);
        expect(res.status).toBe(200);
        const [result] = res.body.data.results;
        expect(result).toMatchObject({ row: 0, outcome: 'refused', message: expect.any(String) });
        expect(codes).toContain(result.code);
        expect(app.sandbox.count()).toBe(upstream);
        expect(await rows()).toEqual(before);
      });
    });

    it('admin POST /customers/search: every invalid search is a 400 VALIDATION_ERROR', async () => {
      await property('admin POST /customers/search', searchBodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url: '/osteocom/customers/search', body }, admin, 'admin POST /customers/search');
        expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      });
    });

    it.each([
      ['admin POST /members/search', '/osteocom/members/search', memberSearchBodies],
      ['admin POST /entitlements/extensions', '/osteocom/entitlements/extensions', extensionBodies],
    ] as const)('%s: every invalid request is a 400 VALIDATION_ERROR, no upstream call, no row written', async (label, url, bodies) => {
      await property(label, bodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url, body }, admin, label);
        expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      });
    });

    it('content-api POST /video-token: every invalid body is a 4xx with a code, no upstream call', async () => {
      await property('content-api POST /video-token', videoTokenBodies, async ({ body }) => {
        const res = await expectRefused({ method: 'POST', url: '/api/osteocom/video-token', body }, endUser, 'content-api POST /video-token');
        expect(['VALIDATION_ERROR', 'VIDEO_NOT_FOUND']).toContain(res.body.error.details.code);
      });
    });

    it('admin PUT /webhook-events/:id: every invalid body or id is a 400 VALIDATION_ERROR, nothing stored', async () => {
      const events = fc.constantFrom(...OSTEOCOM_EVENTS);
      const badEvents = fc.oneof(
        fc.record({ events: fc.array(fc.string().filter((name) => !(OSTEOCOM_EVENTS as readonly string[]).includes(name)), { minLength: 1, maxLength: 3 }) }),
        fc.record({ events: fc.array(events, { minLength: OSTEOCOM_EVENTS.length + 1, maxLength: OSTEOCOM_EVENTS.length + 3 }) }),
        fc.record({ events: fc.array(events, { maxLength: 2 }), extra: fc.jsonValue({ maxDepth: 1 }) }),
        fc.record({ events: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string())) }),
        // A list where the object belongs (a bare scalar is Strapi's MALFORMED_REQUEST, tested below).
        fc.array(events, { maxLength: 3 })
      );
      const badId = fc.oneof(fc.constantFrom('abc', '-1', '1.5', '9'.repeat(13), '%20'), fc.stringMatching(/^[a-z]{1,8}$/));
      const probes = fc.oneof(
        badEvents.map((body) => ({ id: '1', body })),
        fc.tuple(badId, fc.array(events, { maxLength: 2 })).map(([id, list]) => ({ id, body: { events: list } as unknown }))
      );
      await property('admin PUT /webhook-events/:id', probes, async ({ id, body }) => {
        const res = await expectRefused({ method: 'PUT', url: `/osteocom/webhook-events/${id}`, body: body as Record<string, unknown> }, admin, 'admin PUT /webhook-events/:id');
        expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      });
    });

    it('admin PUT /settings: every invalid or locked change is a 400 VALIDATION_ERROR and changes nothing', async () => {
      const before = (await call({ method: 'GET', url: '/osteocom/settings' }, admin)).body.data;
      await property('admin PUT /settings', settingsBodies, async ({ body }) => {
        const res = await expectRefused({ method: 'PUT', url: '/osteocom/settings', body }, admin, 'admin PUT /settings');
        expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      });
      expect((await call({ method: 'GET', url: '/osteocom/settings' }, admin)).body.data).toEqual(before);
      expect(app.strapi.plugin('osteocom').service('scheduler').nextSyncAt()).toBeNull();
    });

    it('free text with control characters is refused (400), other odd unicode is stored as text: never a 5xx', async () => {
      const oddText = fc.oneof(unicode, fc.constantFrom('a\u0000b', '\u0000', 'Ann\u202eoll', 'x\u0007', 'tab\there', '\ud800', 'Zoë 😀'));
      const hasControl = (text: string) => /\p{Cc}/u.test(text.trim());
      await property('free text', fc.record({ name: oddText, surname: oddText, q: oddText, n: fc.nat() }), async ({ name, surname, q, n }) => {
        const body = { userId: `free-text-${n}`, email: 'ann@example.com', name, surname, products: [{ productId: owned.idChannel }] };
        if (hasControl(name) || hasControl(surname)) {
          const res = await expectRefused({ method: 'POST', url: '/osteocom/authorizations', body }, admin, 'free text');
          expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
        } else {
          const res = await call({ method: 'POST', url: '/osteocom/authorizations', body }, admin);
          // Blank after trimming is refused; anything else is a customer name like any other.
          if (name.trim() && surname.trim() && name.trim().length <= 100 && surname.trim().length <= 100) expect(res.status).toBe(200);
          else expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION_ERROR']);
        }
        const search = await call({ method: 'POST', url: '/osteocom/customers/search', body: { q } }, admin);
        expect(search.status).toBe(hasControl(q) ? 400 : 200);
      });
    });

    it('accepts a sync schedule exactly when Strapi’s scheduler can run it', async () => {
      const item = fc.oneof(
        fc.constantFrom('*', '?', 'L', 'LW', 'W', '#', 'MON', 'jan', 'FRI#2', '5L', '15W', 'L-2', '*/5', '5/15', 'MON-FRI'),
        fc.integer({ min: 0, max: 70 }).map(String),
        fc.tuple(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 70 })).map(([a, b]) => `${a}-${b}`)
      );
      const field = fc.tuple(fc.array(item, { minLength: 1, maxLength: 2 }), fc.option(fc.integer({ min: 0, max: 70 }))).map(([items, step]) => `${items.join(',')}${step === null ? '' : `/${step}`}`);
      const rule = fc.oneof(fc.array(field, { minLength: 5, maxLength: 6 }).map((fields) => fields.join(' ')), fc.constantFrom('0 */6 * * *', '*/30 * * * * *', '0 9 * * MON-FRI', '0 0 L * *'));
      const original = (await call({ method: 'GET', url: '/osteocom/settings' }, admin)).body.data.values.syncCron;
      const outcomes = { accepted: 0, refused: 0 };
      await property('sync schedule', rule, async (cron) => {
        app.strapi.cron.add({ 'bad-input.probe': { task: async () => undefined, options: { rule: cron, tz: 'UTC' } } });
        const runnable = (app.strapi.cron.jobs as unknown as { name: string | null }[]).some((job) => job.name === 'bad-input.probe');
        app.strapi.cron.remove('bad-input.probe');
        const res = await call({ method: 'PUT', url: '/osteocom/settings', body: { syncCron: cron } }, admin);
        outcomes[res.status === 200 ? 'accepted' : 'refused'] += 1;
        expect([cron, res.status === 200 ? 'accepted' : res.body.error.details.code]).toEqual([cron, runnable ? 'accepted' : 'VALIDATION_ERROR']);
      });
      expect(outcomes.accepted).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
      expect((await call({ method: 'PUT', url: '/osteocom/settings', body: { syncCron: original } }, admin)).status).toBe(200);
    });

    it('routes without a body ignore whatever is sent: never a 5xx', async () => {
      const noInput: { label: string; method: 'GET' | 'POST'; url: string; token: () => string; upstream: boolean; statuses?: number[] }[] = [
        { label: 'admin GET /overview', method: 'GET', url: '/osteocom/overview', token: () => admin, upstream: false },
        { label: 'admin GET /encryption', method: 'GET', url: '/osteocom/encryption', token: () => admin, upstream: false },
        { label: 'admin GET /entitlements/summary', method: 'GET', url: '/osteocom/entitlements/summary', token: () => admin, upstream: false },
        { label: 'admin GET /webhook-events', method: 'GET', url: '/osteocom/webhook-events', token: () => admin, upstream: false },
        // A pass may still be running from the previous call: started (202) or already running (409).
        { label: 'admin POST /encryption/rotate', method: 'POST', url: '/osteocom/encryption/rotate', token: () => admin, upstream: false, statuses: [202, 409] },
        { label: 'admin GET /settings', method: 'GET', url: '/osteocom/settings', token: () => admin, upstream: false },
        { label: 'admin POST /settings/test-connection', method: 'POST', url: '/osteocom/settings/test-connection', token: () => admin, upstream: true },
        { label: 'content-api GET /me', method: 'GET', url: '/api/osteocom/me', token: () => endUser, upstream: false },
        { label: 'admin GET /customers/:userId/export', method: 'GET', url: `/osteocom/customers/${CUSTOMER}/export`, token: () => admin, upstream: false },
        { label: 'admin POST /customers/:userId/erase', method: 'POST', url: `/osteocom/customers/${ERASABLE}/erase`, token: () => admin, upstream: false },
      ];
      for (const route of noInput) {
        await property(route.label, fc.tuple(fc.jsonValue({ maxDepth: 3 }), badQuery(badPage, badQ, badUserIdParam)), async ([body, query]) => {
          const upstream = app.sandbox.count();
          const probe: Probe = { method: route.method, url: `${route.url}${qs(query)}`, body: route.method === 'POST' && body !== null && typeof body === 'object' ? body : undefined };
          const res = await call(probe, route.token());
          counts.set(route.label, (counts.get(route.label) ?? 0) + 1);
          expect(route.statuses ?? [200]).toContain(res.status);
          if (!route.upstream) expect(app.sandbox.count()).toBe(upstream);
        });
      }
    });
  });

  describe('query strings', () => {
    it.each([
      ['admin GET /channels', '/osteocom/channels', [badPage, badPageSize, badQ, badStatus], asAdmin],
      ['admin GET /customers', '/osteocom/customers', [badPage, badPageSize], asAdmin],
      ['admin GET /sync-runs', '/osteocom/sync-runs', [badPage, badPageSize], asAdmin],
      ['admin GET /audit-events', '/osteocom/audit-events', [badPage, badPageSize, badUserIdParam], asAdmin],
      ['admin GET /entitlements', '/osteocom/entitlements', [badPage, badPageSize, badAttention, badExpiring], asAdmin],
      ['admin GET /entitlements/export', '/osteocom/entitlements/export', [badChannel, badEntitlementStatus, badExpiring, badQ], asAdmin],
      ['admin GET /reports', '/osteocom/reports', [badDay('from'), badDay('to'), badInterval], asAdmin],
      ['admin GET /reports/channels', '/osteocom/reports/channels', [badDay('from'), badDay('to'), badPage, badPageSize], asAdmin],
      ['content-api GET /channels', '/api/osteocom/channels', [badPage, badPageSize], asPublic],
    ] as const)('%s: every invalid query is a 400 VALIDATION_ERROR', async (label, url, invalid, token) => {
      await property(label, badQuery(...invalid), async (pairs) => {
        const res = await expectRefused({ method: 'GET', url: `${url}${qs(pairs)}` }, token(), label);
        expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      });
    });

    it('admin GET /customers: any q, valid or not, is a 400 SEARCH_BY_POST (a search is often an email, and URLs are logged)', async () => {
      await property('customers ?q', fc.oneof(badQ, fc.constantFrom<Pair[]>([['q', 'ann%40example.com']], [['q', '']], [['q', CUSTOMER]])), async (pairs) => {
        const res = await expectRefused({ method: 'GET', url: `/osteocom/customers${qs(pairs)}` }, admin, 'customers ?q');
        expect([res.status, res.body.error.details.code]).toEqual([400, 'SEARCH_BY_POST']);
        expect(res.body.error.message).toContain('POST /osteocom/customers/search');
      });
    });

    it('admin POST /sync: an invalid ?wait is a 400 and starts no sync', async () => {
      const runs = await app.strapi.db.query('plugin::osteocom.sync-run').count();
      await property('admin POST /sync', badQuery(badWait), async (pairs) => {
        const res = await expectRefused({ method: 'POST', url: `/osteocom/sync${qs(pairs)}` }, admin, 'admin POST /sync');
        expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      });
      expect(await app.strapi.db.query('plugin::osteocom.sync-run').count()).toBe(runs);
    });

    it('treats hostile search text as text: it matches nothing (or is refused with a code), never a 5xx', async () => {
      await property('hostile search', fc.tuple(hostile, fc.constantFrom('/osteocom/channels', '/osteocom/customers/search', '/osteocom/audit-events')), async ([text, url]) => {
        const key = url.endsWith('audit-events') ? 'userId' : 'q';
        const res = url.endsWith('/search') ? await call({ method: 'POST', url, body: { q: text } }, admin) : await call({ method: 'GET', url: `${url}?${key}=${enc(text)}` }, admin);
        if (res.status === 200) expect(res.body.meta.pagination.total).toBe(0);
        else expect([res.status, res.body.error.details.code]).toEqual([400, 'VALIDATION_ERROR']);
      });
      // The control case: the same routes do find what exists.
      expect((await call({ method: 'POST', url: '/osteocom/customers/search', body: { q: CUSTOMER } }, admin)).body.meta.pagination.total).toBe(1);
      expect((await call({ method: 'GET', url: `/osteocom/audit-events?userId=${CUSTOMER}` }, admin)).body.meta.pagination.total).toBeGreaterThan(0);
    });
  });

  describe('path parameters', () => {
    it.each([
      ['admin GET /channels/:idChannel/videos', (id: string) => `/osteocom/channels/${id}/videos`, 'CHANNEL_NOT_FOUND', asAdmin],
      ['content-api GET /channels/:idChannelOrSlug', (id: string) => `/api/osteocom/channels/${id}`, 'CHANNEL_NOT_FOUND', asPublic],
    ] as const)('%s: a malformed id is a 400, an unknown one a 404', async (label, path, notFound, token) => {
      await property(label, fc.oneof(badIdSegment.map((id) => ({ id, known: false })), unknownIdSegment.map((id) => ({ id, known: true }))), async ({ id, known }) => {
        const res = await expectRefused({ method: 'GET', url: path(segment(id)) }, token(), label);
        expect([res.status, res.body.error.details.code]).toEqual(known ? [404, notFound] : [400, 'VALIDATION_ERROR']);
      });
    });

    it('admin GET /customers/:userId: a malformed id is a 400, any well-formed unknown one (SQL-looking included) a 404', async () => {
      await property('admin GET /customers/:userId', badUserIdSegment, async (userId) => {
        const res = await expectRefused({ method: 'GET', url: `/osteocom/customers/${enc(userId)}` }, admin, 'admin GET /customers/:userId');
        expect(['VALIDATION_ERROR', 'CUSTOMER_NOT_FOUND']).toContain(res.body.error.details.code);
      });
    });
  });

  describe('personal-data requests', () => {
    it.each([
      ['admin GET /customers/:userId/export', 'GET', 'export'],
      ['admin POST /customers/:userId/erase', 'POST', 'erase'],
    ] as const)('%s: a malformed id is a 400, any well-formed unknown one (SQL-looking included) a 404, and nothing is erased', async (label, method, action) => {
      await property(label, badUserIdSegment, async (userId) => {
        const res = await expectRefused({ method, url: `/osteocom/customers/${enc(userId)}/${action}` }, admin, label);
        expect(['VALIDATION_ERROR', 'CUSTOMER_NOT_FOUND']).toContain(res.body.error.details.code);
      });
      const known = await call({ method: 'GET', url: `/osteocom/customers/${CUSTOMER}` }, admin);
      expect(known.body.data.email).toBe('ann@example.com');
    });
  });

  describe('headers', () => {
    /** Headers a client might send to sway a server: identity, proxies, method overrides, negotiation, caching. */
    const HEADER_NAMES = [
      'X-User-Id',
      'X-Osteocom-User',
      'X-Forwarded-For',
      'X-Forwarded-Host',
      'X-Forwarded-Proto',
      'Forwarded',
      'X-Real-IP',
      'X-HTTP-Method-Override',
      'X-Original-URL',
      'Accept',
      'Accept-Language',
      'Cookie',
      'Origin',
      'Referer',
      'If-None-Match',
      'If-Modified-Since',
      'Range',
      'User-Agent',
      'Prefer',
    ];
    /** Header values travel as printable ASCII (Node refuses others on both sides). */
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 60 });
    const headerValue = fc.oneof(
      printable,
      hostile.filter((text) => !/\p{Cc}/u.test(text)),
      fc.constantFrom('x'.repeat(4_000), '__proto__', 'constructor', '{"__proto__":{"isAdmin":true}}', '127.0.0.1', 'DELETE', 'application/xml', '*/*;q=abc', 'bytes=0-1', 'koa.sess=x; jwtToken=y', CUSTOMER)
    );
    const headerName = fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/));
    const extraHeaders = fc.uniqueArray(fc.tuple(headerName, headerValue), { minLength: 1, maxLength: 6, selector: ([name]) => name.toLowerCase() });
    const authorization = fc.oneof(
      printable,
      printable.map((text) => `Bearer ${text}`),
      fc.constantFrom('Bearer', 'bearer x', 'Basic YWRtaW46YWRtaW4=', 'Bearer null', 'Bearer eyJhbGciOiJub25lIn0.eyJpZCI6MX0.', `Bearer ${'x'.repeat(4_000)}`, 'Bearer {"$gt":""}', 'Token abc')
    );

    interface HeaderProbe extends Probe {
      label: string;
      token: () => string | undefined;
      /** Open to the Public role: with no usable credential the route still answers. */
      isPublic?: boolean;
      /** Outcomes that mean the same here (a pass started, or one already running). */
      same?: (outcome: unknown[]) => unknown[];
    }
    const passStarted = ([status, code]: unknown[]) => (status === 202 || code === 'KEY_ROTATION_ALREADY_RUNNING' ? ['started'] : [status, code]);
    /** Every route, as its allowed caller sends it: valid where that calls nothing upstream twice, refused otherwise. */
    const PROBES: HeaderProbe[] = [
      { label: 'admin GET /overview', method: 'GET', url: '/osteocom/overview', token: () => admin },
      { label: 'admin GET /settings', method: 'GET', url: '/osteocom/settings', token: () => admin },
      { label: 'admin PUT /settings', method: 'PUT', url: '/osteocom/settings', body: { syncTz: 'UTC' }, token: () => admin },
      { label: 'admin POST /settings/test-connection', method: 'POST', url: '/osteocom/settings/test-connection', token: () => admin },
      { label: 'admin POST /sync', method: 'POST', url: '/osteocom/sync?wait=true', token: () => admin },
      { label: 'admin GET /sync-runs', method: 'GET', url: '/osteocom/sync-runs', token: () => admin },
      { label: 'admin GET /channels', method: 'GET', url: '/osteocom/channels', token: () => admin },
      { label: 'admin GET /channels/:idChannel/videos', method: 'GET', url: `/osteocom/channels/${owned.idChannel}/videos`, token: () => admin },
      { label: 'admin GET /customers', method: 'GET', url: '/osteocom/customers', token: () => admin },
      { label: 'admin POST /customers/search', method: 'POST', url: '/osteocom/customers/search', body: { q: CUSTOMER }, token: () => admin },
      { label: 'admin POST /members/search', method: 'POST', url: '/osteocom/members/search', body: { q: CUSTOMER }, token: () => admin },
      { label: 'admin POST /entitlements/extensions', method: 'POST', url: '/osteocom/entitlements/extensions', body: { rows: [{ userId: CUSTOMER, channelId: 'unknown-channel' }], months: 1 }, token: () => admin },
      { label: 'admin GET /customers/:userId', method: 'GET', url: `/osteocom/customers/${CUSTOMER}`, token: () => admin },
      { label: 'admin POST /authorizations', method: 'POST', url: '/osteocom/authorizations', body: { userId: CUSTOMER, products: [] }, token: () => admin },
      { label: 'admin POST /revocations', method: 'POST', url: '/osteocom/revocations', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => admin },
      { label: 'admin POST /pauses', method: 'POST', url: '/osteocom/pauses', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => admin },
      { label: 'admin POST /resumptions', method: 'POST', url: '/osteocom/resumptions', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => admin },
      { label: 'admin GET /audit-events', method: 'GET', url: '/osteocom/audit-events', token: () => admin },
      { label: 'admin GET /entitlements', method: 'GET', url: '/osteocom/entitlements?attention=true', token: () => admin },
      { label: 'admin GET /entitlements/summary', method: 'GET', url: '/osteocom/entitlements/summary', token: () => admin },
      { label: 'admin GET /webhook-events', method: 'GET', url: '/osteocom/webhook-events', token: () => admin },
      { label: 'admin PUT /webhook-events/:id', method: 'PUT', url: '/osteocom/webhook-events/999999', body: { events: [] }, token: () => admin },
      { label: 'admin GET /reports', method: 'GET', url: '/osteocom/reports?from=2026-01-01&to=2026-01-31&interval=week', token: () => admin },
      { label: 'admin GET /reports/channels', method: 'GET', url: '/osteocom/reports/channels?from=2026-01-01&to=2026-01-31&pageSize=5', token: () => admin },
      { label: 'admin GET /entitlements/export', method: 'GET', url: '/osteocom/entitlements/export?status=active', token: () => admin },
      { label: 'admin POST /entitlements/resend', method: 'POST', url: '/osteocom/entitlements/resend', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => admin },
      { label: 'admin POST /entitlements/resend-attention', method: 'POST', url: '/osteocom/entitlements/resend-attention', body: {}, token: () => admin },
      { label: 'admin GET /customers/:userId/export', method: 'GET', url: `/osteocom/customers/${CUSTOMER}/export`, token: () => admin },
      { label: 'admin POST /customers/:userId/erase', method: 'POST', url: `/osteocom/customers/${ERASABLE}/erase`, token: () => admin },
      { label: 'admin GET /encryption', method: 'GET', url: '/osteocom/encryption', token: () => admin },
      { label: 'admin POST /encryption/rotate', method: 'POST', url: '/osteocom/encryption/rotate', token: () => admin, same: passStarted },
      { label: 'content-api GET /channels', method: 'GET', url: '/api/osteocom/channels', token: asPublic, isPublic: true },
      { label: 'content-api GET /channels/:idChannelOrSlug', method: 'GET', url: `/api/osteocom/channels/${owned.idChannel}`, token: asPublic, isPublic: true },
      { label: 'content-api POST /video-token', method: 'POST', url: '/api/osteocom/video-token', body: { videoId: owned.video[0].videoId }, token: () => endUser },
      { label: 'content-api GET /me', method: 'GET', url: '/api/osteocom/me', token: () => endUser },
      { label: 'content-api POST /authorizations', method: 'POST', url: '/api/osteocom/authorizations', body: { userId: CUSTOMER }, token: () => shop },
      { label: 'content-api POST /revocations', method: 'POST', url: '/api/osteocom/revocations', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => shop },
      { label: 'content-api POST /pauses', method: 'POST', url: '/api/osteocom/pauses', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => shop },
      { label: 'content-api POST /resumptions', method: 'POST', url: '/api/osteocom/resumptions', body: { userId: CUSTOMER, channelId: 'unknown-channel' }, token: () => shop },
      { label: 'admin POST /authorizations/bulk', method: 'POST', url: '/osteocom/authorizations/bulk', body: { rows: [] }, token: () => admin },
      { label: 'admin POST /authorizations/bulk/validate', method: 'POST', url: '/osteocom/authorizations/bulk/validate', body: { rows: [] }, token: () => admin },
      { label: 'admin POST /revocations/bulk', method: 'POST', url: '/osteocom/revocations/bulk', body: { rows: [] }, token: () => admin },
      { label: 'content-api POST /authorizations/bulk', method: 'POST', url: '/api/osteocom/authorizations/bulk', body: { rows: [] }, token: () => shop },
      { label: 'content-api POST /revocations/bulk', method: 'POST', url: '/api/osteocom/revocations/bulk', body: { rows: [] }, token: () => shop },
    ];

    const outcome = (res: { status: number; body: { error?: { details?: { code?: string } } } }) => [res.status, res.body.error?.details?.code ?? null];

    it.each(PROBES.map((probe) => [probe.label, probe] as const))('%s: extra headers change nothing, whatever they claim', async (_label, probe) => {
      const token = probe.token();
      const baseline = await call(probe, token);
      expect(baseline.status).toBeLessThan(500);
      const callsUpstream = await (async () => {
        const before = app.sandbox.count();
        await call(probe, token);
        return app.sandbox.count() > before;
      })();
      await property(`headers ${probe.label}`, extraHeaders, async (headers) => {
        const upstream = app.sandbox.count();
        const res = await call(probe, token, headers);
        const same = probe.same ?? ((value: unknown[]) => value);
        expect([headers, ...same(outcome(res))]).toEqual([headers, ...same(outcome(baseline))]);
        expect(res.text).not.toMatch(/\n\s+at /);
        if (!callsUpstream) expect(app.sandbox.count()).toBe(upstream);
        // Whoever a header names, /me is the signed-in user's own.
        if (probe.label.endsWith('GET /me')) expect(res.body.data.userId).toBe(baseline.body.data.userId);
      });
    });

    it.each(PROBES.map((probe) => [probe.label, probe] as const))('%s: a malformed Authorization is refused with a code, or is no credential at all', async (_label, probe) => {
      const before = await rows();
      await property(`authorization ${probe.label}`, authorization, async (value) => {
        const upstream = app.sandbox.count();
        const res = await call(probe, undefined, [['Authorization', value]]);
        const [status, code] = outcome(res);
        if (probe.isPublic && status === 200) return;
        expect([value, status, code]).toEqual([value, status, status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
        expect([401, 403]).toContain(status);
        if (probe.label.startsWith('admin')) expect(status).toBe(401);
        expect(app.sandbox.count()).toBe(upstream);
      });
      expect(await rows()).toEqual(before);
    });
  });

  describe('what Strapi refuses before the plugin', () => {
    const BODY_ROUTES: [string, string, () => string][] = [
      ['/osteocom/authorizations', 'POST', () => admin],
      ['/osteocom/revocations', 'POST', () => admin],
      ['/osteocom/entitlements/resend', 'POST', () => admin],
      ['/osteocom/entitlements/resend-attention', 'POST', () => admin],
      ['/osteocom/settings', 'PUT', () => admin],
      [`/osteocom/customers/${ERASABLE}/erase`, 'POST', () => admin],
      ['/osteocom/customers/search', 'POST', () => admin],
      ['/api/osteocom/authorizations', 'POST', () => shop],
      ['/api/osteocom/revocations', 'POST', () => shop],
      ['/osteocom/pauses', 'POST', () => admin],
      ['/osteocom/resumptions', 'POST', () => admin],
      ['/api/osteocom/pauses', 'POST', () => shop],
      ['/api/osteocom/resumptions', 'POST', () => shop],
      ['/api/osteocom/video-token', 'POST', () => endUser],
      ['/osteocom/authorizations/bulk', 'POST', () => admin],
      ['/osteocom/authorizations/bulk/validate', 'POST', () => admin],
      ['/osteocom/revocations/bulk', 'POST', () => admin],
      ['/api/osteocom/authorizations/bulk', 'POST', () => shop],
      ['/api/osteocom/revocations/bulk', 'POST', () => shop],
    ];
    const RAW = [
      ['__proto__ key', '{"__proto__":{"isAdmin":true},"userId":"x"}', 400, 'MALFORMED_REQUEST'],
      ['nested __proto__ key', '{"products":[{"productId":"x","__proto__":{"price":0}}],"userId":"x"}', 400, 'MALFORMED_REQUEST'],
      ['malformed JSON', '{"userId":', 400, 'MALFORMED_REQUEST'],
      ['top-level string', '"just text"', 400, 'MALFORMED_REQUEST'],
      ['top-level number', '42', 400, 'MALFORMED_REQUEST'],
      ['over 1 MB', JSON.stringify({ userId: 'x'.repeat(1_100_000) }), 413, 'PAYLOAD_TOO_LARGE'],
    ] as const;

    it.each(BODY_ROUTES.flatMap(([url, method, token]) => RAW.map(([kind, raw, status, code]) => [`${method} ${url}`, kind, url, method, token, raw, status, code] as const)))(
      '%s with a %s: %#',
      async (_label, _kind, url, method, token, raw, status, code) => {
        const upstream = app.sandbox.count();
        const before = await rows();
        const req = method === 'PUT' ? app.http.put(url) : app.http.post(url);
        const res = await req.set('Authorization', `Bearer ${token()}`).set('Content-Type', 'application/json').send(raw);
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ data: null, error: { status, details: { code } } });
        expect(res.text).not.toMatch(/\n\s+at /);
        expect(app.sandbox.count()).toBe(upstream);
        expect(await rows()).toEqual(before);
      }
    );

    it('words the body parser\'s refusals for people, not in parser terms', async () => {
      const res = await app.http.post('/api/osteocom/authorizations').set('Authorization', `Bearer ${shop}`).set('Content-Type', 'application/json').send('{"userId":');
      expect(res.body.error.message).toBe('The request body is not valid JSON: send a JSON object with Content-Type: application/json.');
    });

    it.each([
      ['GET', '/api/osteocom/no-such-route', 404, 'NOT_FOUND'],
      ['GET', '/osteocom/no-such-route', 404, 'NOT_FOUND'],
      ['DELETE', '/api/osteocom/channels', 405, 'METHOD_NOT_ALLOWED'],
      ['PATCH', '/osteocom/settings', 405, 'METHOD_NOT_ALLOWED'],
    ] as const)('%s %s: %i %s', async (method, url, status, code) => {
      const upstream = app.sandbox.count();
      const res = await app.http[method === 'GET' ? 'get' : method === 'DELETE' ? 'delete' : 'patch'](url).set('Authorization', `Bearer ${admin}`);
      expect([res.status, res.body?.error?.details?.code]).toEqual([status, code]);
      expect(app.sandbox.count()).toBe(upstream);
    });
  });

  it('covered every route of the plugin', () => {
    const declared = [
      ...adminRoutes().routes.map((route) => `admin ${route.method} ${route.path}`),
      ...contentApiRoutes().routes.map((route) => `content-api ${route.method} ${route.path}`),
    ];
    const probed = [...counts.keys()].filter((key) => !key.endsWith('(runs)') && !['hostile search', 'free text', 'sync schedule', 'customers ?q'].includes(key));
    for (const kind of ['headers', 'authorization']) {
      const runs = [...counts.keys()].filter((key) => key.startsWith(`${kind} `) && key.endsWith('(runs)'));
      expect(new Set(runs.map((key) => key.slice(kind.length + 1, -' (runs)'.length)))).toEqual(new Set(declared));
    }
    expect(new Set(probed)).toEqual(new Set(declared));
    for (const label of probed) expect(counts.get(label)).toBeGreaterThanOrEqual(FC_OPTIONS.numRuns);
    if (process.env.BAD_INPUT_REPORT) process.stdout.write(`${JSON.stringify(Object.fromEntries(counts), null, 1)}\n`);
  });
});
