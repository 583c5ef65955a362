/**
 * Production readiness, security: every plugin route × every kind of caller (table-driven, checked
 * against the route files so a new route cannot slip by), IDOR attempts by end users, and no
 * secret in any log line, response, header or plugin table during the whole suite.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { generateCatalog } from '../../sandbox/src';
import adminRoutes from '../../server/src/routes/admin';
import contentApiRoutes from '../../server/src/routes/content-api';
import { ACTIONS, type ActionName } from '../../server/src/permissions';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { captureLogs, captureResponses, findLeaks } from '../helpers/capture';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { catchOutboundTls } from '../helpers/outbound';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 4, videosPerChannel: 2 });
/** Bought by end user A. */
const owned = catalog[0];
/** Bought by end user B. */
const othersChannel = catalog[1];
/** Bought by the shop customer the back-end routes act on. */
const shopChannel = catalog[2];
const SHOP_CUSTOMER = 'shop-customer-1';
/** Paused and resumed by the pause/resume rows, in any order: each call leaves it paused or active (2xx). */
const PAUSE_CUSTOMER = 'pause-customer-1';
/** Erased by the erase route's rows: a customer of its own, so the other rows keep a full profile. */
const ERASED_CUSTOMER = 'erased-customer-1';
/** Re-sent by the re-send route's rows: a purchase no other row revokes, so its intent stays `authorize`. */
const RESENT_CUSTOMER = 'resent-customer-1';
/** The Strapi webhook the Webhook events rows subscribe (created in beforeAll). */
let webhookId = '';
const CLIENT_SECRET = `sandbox-secret-${randomBytes(12).toString('hex')}`;

const CALLERS = ['public', 'endUser', 'otherEndUser', 'adminWithout', 'adminWith', 'readOnlyToken', 'fullAccessToken', 'customToken'] as const;
type Caller = (typeof CALLERS)[number];

interface Expectation {
  /** An exact refusal status, or 'ok' for any 2xx. */
  status: 401 | 403 | 'ok';
  /** The refusal's `details.code` (the plugin adds one to Strapi's own 401/403 too). */
  code?: string;
}

const OK: Expectation = { status: 'ok' };
const UNAUTHENTICATED: Expectation = { status: 401, code: 'UNAUTHENTICATED' };
const FORBIDDEN: Expectation = { status: 403, code: 'FORBIDDEN' };

interface RouteRow {
  type: 'admin' | 'content-api';
  method: string;
  /** As written in the route file. */
  path: string;
  /** Admin: the RBAC action the route requires. Content API: the users-permissions / API-token action. */
  action: ActionName | string;
  request(caller: Caller): { url: string; body?: object };
  expected: Record<Caller, Expectation>;
}

/** Admin routes accept an admin session with the route's action and nothing else. */
const adminOnly = (): Record<Caller, Expectation> => ({
  public: UNAUTHENTICATED,
  endUser: UNAUTHENTICATED,
  otherEndUser: UNAUTHENTICATED,
  adminWithout: FORBIDDEN,
  adminWith: OK,
  readOnlyToken: UNAUTHENTICATED,
  fullAccessToken: UNAUTHENTICATED,
  customToken: UNAUTHENTICATED,
});

/**
 * Content-API routes: users-permissions roles and API tokens decide; an admin session is not a
 * content-API credential. The catalog is granted to both Public and Authenticated (Strapi's
 * Authenticated role does not inherit Public).
 */
const contentApi = (overrides: Partial<Record<Caller, Expectation>>): Record<Caller, Expectation> => ({
  public: FORBIDDEN,
  endUser: FORBIDDEN,
  otherEndUser: FORBIDDEN,
  adminWithout: UNAUTHENTICATED,
  adminWith: UNAUTHENTICATED,
  readOnlyToken: FORBIDDEN,
  fullAccessToken: OK,
  customToken: OK,
  ...overrides,
});

let ids: { endUser: string; otherEndUser: string };

const admin = (method: string, path: string, action: ActionName, request: RouteRow['request']): RouteRow => ({
  type: 'admin',
  method,
  path,
  action,
  request,
  expected: adminOnly(),
});

const ROUTES: RouteRow[] = [
  admin('GET', '/overview', 'read', () => ({ url: '/osteocom/overview' })),
  admin('GET', '/settings', 'settingsRead', () => ({ url: '/osteocom/settings' })),
  admin('PUT', '/settings', 'settingsUpdate', () => ({ url: '/osteocom/settings', body: { syncTz: 'UTC' } })),
  admin('POST', '/settings/test-connection', 'settingsRead', () => ({ url: '/osteocom/settings/test-connection' })),
  admin('GET', '/webhook-events', 'settingsRead', () => ({ url: '/osteocom/webhook-events' })),
  admin('PUT', '/webhook-events/:id', 'settingsUpdate', () => ({ url: `/osteocom/webhook-events/${webhookId}`, body: { events: ['osteocom.catalog.synced'] } })),
  admin('POST', '/sync', 'sync', () => ({ url: '/osteocom/sync?wait=true' })),
  admin('GET', '/sync-runs', 'read', () => ({ url: '/osteocom/sync-runs' })),
  admin('GET', '/channels', 'read', () => ({ url: '/osteocom/channels' })),
  admin('GET', '/channels/:idChannel/videos', 'read', () => ({ url: `/osteocom/channels/${owned.idChannel}/videos` })),
  admin('GET', '/customers', 'read', () => ({ url: '/osteocom/customers' })),
  admin('POST', '/customers/search', 'read', () => ({ url: '/osteocom/customers/search', body: { q: SHOP_CUSTOMER } })),
  admin('POST', '/members/search', 'read', () => ({ url: '/osteocom/members/search', body: { q: SHOP_CUSTOMER, status: 'active' } })),
  admin('POST', '/entitlements/extensions', 'authorize', () => ({ url: '/osteocom/entitlements/extensions', body: { rows: [{ userId: SHOP_CUSTOMER, channelId: shopChannel.idChannel }], date: '2099-12-31' } })),
  admin('GET', '/customers/:userId', 'read', () => ({ url: `/osteocom/customers/${SHOP_CUSTOMER}` })),
  admin('POST', '/authorizations', 'authorize', () => ({
    url: '/osteocom/authorizations',
    body: { userId: SHOP_CUSTOMER, products: [{ productId: shopChannel.idChannel }] },
  })),
  admin('POST', '/revocations', 'revoke', () => ({ url: '/osteocom/revocations', body: { userId: SHOP_CUSTOMER, channelId: shopChannel.idChannel } })),
  admin('POST', '/pauses', 'revoke', () => ({ url: '/osteocom/pauses', body: { userId: PAUSE_CUSTOMER, channelId: shopChannel.idChannel } })),
  admin('POST', '/resumptions', 'authorize', () => ({ url: '/osteocom/resumptions', body: { userId: PAUSE_CUSTOMER, channelId: shopChannel.idChannel } })),
  admin('POST', '/authorizations/bulk', 'authorize', () => ({ url: '/osteocom/authorizations/bulk', body: { rows: [{ userId: SHOP_CUSTOMER, productId: shopChannel.idChannel }] } })),
  admin('POST', '/authorizations/bulk/validate', 'authorize', () => ({ url: '/osteocom/authorizations/bulk/validate', body: { rows: [{ userId: SHOP_CUSTOMER, productId: shopChannel.idChannel }] } })),
  admin('POST', '/revocations/bulk', 'revoke', () => ({ url: '/osteocom/revocations/bulk', body: { rows: [{ userId: SHOP_CUSTOMER, channelId: shopChannel.idChannel }] } })),
  admin('GET', '/reports', 'reportsView', () => ({ url: '/osteocom/reports?from=2026-01-01&to=2026-01-31' })),
  admin('GET', '/reports/channels', 'reportsView', () => ({ url: '/osteocom/reports/channels?from=2026-01-01&to=2026-01-31' })),
  admin('GET', '/audit-events', 'read', () => ({ url: '/osteocom/audit-events' })),
  admin('GET', '/entitlements', 'read', () => ({ url: '/osteocom/entitlements?attention=true' })),
  admin('GET', '/entitlements/summary', 'read', () => ({ url: '/osteocom/entitlements/summary' })),
  admin('GET', '/entitlements/export', 'membersExport', () => ({ url: '/osteocom/entitlements/export?status=active' })),
  admin('GET', '/encryption', 'read', () => ({ url: '/osteocom/encryption' })),
  admin('POST', '/encryption/rotate', 'encryptionRotate', () => ({ url: '/osteocom/encryption/rotate' })),
  admin('GET', '/customers/:userId/export', 'customersExport', () => ({ url: `/osteocom/customers/${SHOP_CUSTOMER}/export` })),
  admin('POST', '/customers/:userId/erase', 'customersErase', () => ({ url: `/osteocom/customers/${ERASED_CUSTOMER}/erase` })),
  admin('POST', '/entitlements/resend', 'authorize', () => ({ url: '/osteocom/entitlements/resend', body: { userId: RESENT_CUSTOMER, channelId: shopChannel.idChannel } })),
  // Either action lets it in (the admin without `authorize` still holds `revoke`); each row then goes by its own (operations.test.ts).
  { ...admin('POST', '/entitlements/resend-attention', 'authorize', () => ({ url: '/osteocom/entitlements/resend-attention', body: {} })), expected: { ...adminOnly(), adminWithout: OK } },
  {
    type: 'content-api',
    method: 'GET',
    path: '/channels',
    action: 'plugin::osteocom.catalog.find',
    request: () => ({ url: '/api/osteocom/channels' }),
    expected: contentApi({ public: OK, endUser: OK, otherEndUser: OK, readOnlyToken: OK }),
  },
  {
    type: 'content-api',
    method: 'GET',
    path: '/channels/:idChannelOrSlug',
    action: 'plugin::osteocom.catalog.findOne',
    request: () => ({ url: `/api/osteocom/channels/${owned.idChannel}` }),
    expected: contentApi({ public: OK, endUser: OK, otherEndUser: OK, readOnlyToken: OK }),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/video-token',
    action: 'plugin::osteocom.video-token.create',
    // End users are never trusted with a userId; back ends with a token name the customer.
    request: (caller) => ({
      url: '/api/osteocom/video-token',
      body: caller.endsWith('Token') ? { videoId: owned.video[0].videoId, userId: ids.endUser } : { videoId: owned.video[0].videoId },
    }),
    expected: contentApi({ endUser: OK, otherEndUser: { status: 403, code: 'NOT_ENTITLED' } }),
  },
  {
    type: 'content-api',
    method: 'GET',
    path: '/me',
    action: 'plugin::osteocom.me.get',
    request: () => ({ url: '/api/osteocom/me' }),
    // An API token has no end user: the route is for signed-in end users only.
    expected: contentApi({
      endUser: OK,
      otherEndUser: OK,
      fullAccessToken: { status: 403, code: 'FORBIDDEN' },
      customToken: { status: 403, code: 'FORBIDDEN' },
    }),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/authorizations',
    action: 'plugin::osteocom.access.authorize',
    request: () => ({ url: '/api/osteocom/authorizations', body: { userId: SHOP_CUSTOMER, products: [{ productId: shopChannel.idChannel }] } }),
    expected: contentApi({}),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/revocations',
    action: 'plugin::osteocom.access.revoke',
    request: () => ({ url: '/api/osteocom/revocations', body: { userId: SHOP_CUSTOMER, channelId: shopChannel.idChannel } }),
    expected: contentApi({}),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/pauses',
    action: 'plugin::osteocom.access.pause',
    request: () => ({ url: '/api/osteocom/pauses', body: { userId: PAUSE_CUSTOMER, channelId: shopChannel.idChannel } }),
    expected: contentApi({}),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/resumptions',
    action: 'plugin::osteocom.access.resume',
    request: () => ({ url: '/api/osteocom/resumptions', body: { userId: PAUSE_CUSTOMER, channelId: shopChannel.idChannel } }),
    expected: contentApi({}),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/authorizations/bulk',
    action: 'plugin::osteocom.access.bulkAuthorize',
    request: () => ({ url: '/api/osteocom/authorizations/bulk', body: { rows: [{ userId: SHOP_CUSTOMER, productId: shopChannel.idChannel }] } }),
    expected: contentApi({}),
  },
  {
    type: 'content-api',
    method: 'POST',
    path: '/revocations/bulk',
    action: 'plugin::osteocom.access.bulkRevoke',
    request: () => ({ url: '/api/osteocom/revocations/bulk', body: { rows: [{ userId: SHOP_CUSTOMER, channelId: shopChannel.idChannel }] } }),
    expected: contentApi({}),
  },
];

/**
 * Public amplification: what one anonymous request may make the server read and send. Run as
 * Public on a site that grants it the mirrored types' read actions (sites upgraded from a version
 * that granted them by default, or that populate channels from their own types): channels and
 * videos relate both ways, so each row would multiply rows (or joins, or the page) if unbounded.
 */
interface AmplificationProbe {
  name: string;
  url: string;
  status: 200 | 400;
  code?: string;
  /** The response body's size limit, in bytes. */
  maxBytes: number;
  /** For an answered probe: the page it was clamped to. */
  page?: Record<string, number>;
}

const REFUSAL_BYTES = 2_000;
const DEEP_POPULATE = 'populate[videos][populate][channel][populate][videos][populate][channel][populate][videos][populate][channel][populate][videos]=true';

const PUBLIC_AMPLIFICATION: AmplificationProbe[] = [
  { name: 'populate 7 levels deep', url: `/api/osteocom/entries/channels?${DEEP_POPULATE}`, status: 400, code: 'POPULATE_NOT_ALLOWED', maxBytes: REFUSAL_BYTES },
  { name: 'populate, dotted path', url: '/api/osteocom/entries/channels?populate=videos.channel.videos', status: 400, code: 'POPULATE_NOT_ALLOWED', maxBytes: REFUSAL_BYTES },
  { name: "populate a video's channel (private back-link)", url: '/api/osteocom/entries/videos?populate=channel', status: 400, code: 'POPULATE_NOT_ALLOWED', maxBytes: REFUSAL_BYTES },
  { name: 'filters across 3 relations', url: '/api/osteocom/entries/channels?filters[videos][channel][videos][title][$contains]=a', status: 400, code: 'FILTER_NOT_ALLOWED', maxBytes: REFUSAL_BYTES },
  { name: 'filters under $or across 2 relations', url: '/api/osteocom/entries/channels?filters[$or][0][videos][channel][title][$null]=false', status: 400, code: 'FILTER_NOT_ALLOWED', maxBytes: REFUSAL_BYTES },
  { name: 'sort across 2 relations', url: '/api/osteocom/entries/channels?sort=videos.channel.title', status: 400, code: 'SORT_NOT_ALLOWED', maxBytes: REFUSAL_BYTES },
  { name: 'pageSize=-1', url: '/api/osteocom/entries/videos?pagination[pageSize]=-1', status: 200, maxBytes: 20_000, page: { pageSize: 100 } },
  { name: 'limit=-1 with populate=videos', url: '/api/osteocom/entries/channels?pagination[limit]=-1&populate=videos', status: 200, maxBytes: 20_000, page: { limit: 100 } },
  { name: 'pageSize=100000', url: '/api/osteocom/entries/channels?pagination[pageSize]=100000&populate=*', status: 200, maxBytes: 20_000, page: { pageSize: 100 } },
  { name: 'plugin catalog route, pageSize=-1', url: '/api/osteocom/channels?pageSize=-1', status: 400, code: 'VALIDATION_ERROR', maxBytes: REFUSAL_BYTES },
  { name: 'plugin catalog route, pageSize=101', url: '/api/osteocom/channels?pageSize=101', status: 400, code: 'VALIDATION_ERROR', maxBytes: REFUSAL_BYTES },
  { name: 'plugin catalog route, largest page', url: '/api/osteocom/channels?pageSize=100', status: 200, maxBytes: 20_000, page: { pageSize: 100 } },
];

/** The mirrored types' read actions, which the plugin no longer grants to any role. */
const ENTRY_ACTIONS = ['channel.find', 'channel.findOne', 'video.find', 'video.findOne'].map((action) => `plugin::osteocom.${action}`);

const CASES = ROUTES.flatMap((route) => CALLERS.map((caller) => ({ route, caller, expected: route.expected[caller] })));

const describeExpectation = ({ status, code }: Expectation) => (status === 'ok' ? '2xx' : `${status}${code ? ` ${code}` : ''}`);

describe('security', () => {
  let app: TestApp;
  let logs: ReturnType<typeof captureLogs>;
  let responses: ReturnType<typeof captureResponses>;
  let superAdmin: string;
  let endUser: { user: { documentId: string }; jwt: string };
  let otherEndUser: { user: { documentId: string }; jwt: string };
  const adminsWith = new Map<ActionName, string>();
  const adminsWithout = new Map<ActionName, string>();
  let adminWithNothing: string;
  let readOnlyToken: string;
  let fullAccessToken: string;
  const customTokens = new Map<string, string>();
  let customTokenWithEverything: string;
  const authorizedUserIds = new Set<string>();

  const bearer = (token: string | undefined) => (token ? { Authorization: `Bearer ${token}` } : {});

  const credentialOf = (route: RouteRow, caller: Caller): string | undefined => {
    const action = route.action as ActionName;
    switch (caller) {
      case 'public':
        return undefined;
      case 'endUser':
        return endUser.jwt;
      case 'otherEndUser':
        return otherEndUser.jwt;
      case 'adminWithout':
        return route.type === 'admin' ? adminsWithout.get(action) : adminWithNothing;
      case 'adminWith':
        return route.type === 'admin' ? adminsWith.get(action) : superAdmin;
      case 'readOnlyToken':
        return readOnlyToken;
      case 'fullAccessToken':
        return fullAccessToken;
      case 'customToken':
        return route.type === 'admin' ? customTokenWithEverything : customTokens.get(route.action);
    }
  };

  const send = (method: string, url: string, token?: string, body?: object) => {
    const req = app.http[method.toLowerCase() as 'get' | 'post' | 'put'](url).set(bearer(token));
    return body ? req.send(body) : req;
  };

  const asSuperAdmin = (method: string, url: string, body?: object) => send(method, url, superAdmin, body);

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog, clientSecret: CLIENT_SECRET },
      // The IDOR properties send more video-token requests per user than the default limit allows per minute.
      pluginConfig: { videoToken: { playerUrlTemplate: 'https://player.example.com/{videoId}?t={token}', rateLimit: { max: 10_000, windowSeconds: 60 } } },
      beforeLoad: (strapi) => {
        logs = captureLogs(strapi.log);
      },
    });
    responses = captureResponses(app.strapi.server.httpServer);
    const webhooks = app.strapi.get('webhookStore') as { createWebhook(data: object): Promise<{ id: string }> };
    webhookId = (await webhooks.createWebhook({ name: 'site', url: 'http://127.0.0.1:9/hook', headers: {}, events: [] })).id;
    superAdmin = (await createAdmin(app, 'super')).token;
    adminWithNothing = (await createAdmin(app, [])).token;
    const all = Object.keys(ACTIONS) as ActionName[];
    for (const action of all) {
      adminsWith.set(action, (await createAdmin(app, [ACTIONS[action]])).token);
      adminsWithout.set(action, (await createAdmin(app, all.filter((other) => other !== action).map((other) => ACTIONS[other]))).token);
    }
    readOnlyToken = await createApiToken(app, 'read-only');
    fullAccessToken = await createApiToken(app, 'full-access');
    const contentActions = ROUTES.filter((route) => route.type === 'content-api').map((route) => route.action);
    for (const action of contentActions) customTokens.set(action, await createApiToken(app, 'custom', [action]));
    customTokenWithEverything = await createApiToken(app, 'custom', contentActions);

    expect((await asSuperAdmin('POST', '/osteocom/sync?wait=true')).body.data.status).toBe('succeeded');
    endUser = await createEndUser(app);
    otherEndUser = await createEndUser(app);
    ids = { endUser: endUser.user.documentId, otherEndUser: otherEndUser.user.documentId };
    for (const [userId, channel] of [
      [ids.endUser, owned],
      [ids.otherEndUser, othersChannel],
      [SHOP_CUSTOMER, shopChannel],
      [PAUSE_CUSTOMER, shopChannel],
      [ERASED_CUSTOMER, shopChannel],
      [RESENT_CUSTOMER, shopChannel],
    ] as const) {
      const res = await asSuperAdmin('POST', '/osteocom/authorizations', { userId, products: [{ productId: channel.idChannel }] });
      expect(res.status).toBe(200);
      authorizedUserIds.add(userId);
    }
  });

  afterAll(async () => {
    responses?.stop();
    logs?.restore();
    await app?.close();
  });

  it('observes every log call and every response (so the leak checks below can fail)', async () => {
    const marker = `marker-${randomBytes(6).toString('hex')}`;
    app.strapi.log.debug(`observer check ${marker}`);
    expect(logs.lines.some((line) => line.level === 'debug' && line.text.includes(marker))).toBe(true);
    const res = await send('GET', `/api/osteocom/channels/${owned.idChannel}`);
    expect(res.status).toBe(200);
    expect(responses.responses.at(-1)).toMatchObject({ method: 'GET', status: 200, body: expect.stringContaining(owned.title) });
    expect(findLeaks({ marker }, logs.lines.map((line) => ({ where: 'log', text: line.text })))).toHaveLength(1);
  });

  it('keeps a searched email out of the request log: the search travels in a POST body, and GET ?q= is refused', async () => {
    const hex = randomBytes(4).toString('hex');
    const email = `searched.${hex}@example.com`;
    expect((await asSuperAdmin('POST', '/osteocom/authorizations', { userId: `searched-${hex}`, email, products: [{ productId: shopChannel.idChannel }] })).status).toBe(200);
    const found = await asSuperAdmin('POST', '/osteocom/customers/search', { q: email });
    expect([found.status, found.body.data.map((customer: { email: string }) => customer.email)]).toEqual([200, [email]]);
    // The control case: Strapi's request logger did write a line for the search.
    expect(logs.lines.some((line) => line.level === 'http' && line.text.startsWith('POST /osteocom/customers/search'))).toBe(true);
    const refused = await asSuperAdmin('GET', `/osteocom/customers?q=${encodeURIComponent(email)}`);
    expect([refused.status, refused.body.error.details.code]).toEqual([400, 'SEARCH_BY_POST']);
    const lines = logs.lines.filter((line) => !(line.level === 'http' && line.text.startsWith('GET /osteocom/customers?q=')));
    expect(findLeaks({ email }, lines.map((line, i) => ({ where: `log #${i} (${line.level})`, text: line.text })))).toEqual([]);
  });

  it('has a row for every route of the plugin, and only those', () => {
    const declared = [
      ...adminRoutes().routes.map((route) => `admin ${route.method} ${route.path}`),
      ...contentApiRoutes().routes.map((route) => `content-api ${route.method} ${route.path}`),
    ].sort();
    expect(ROUTES.map((route) => `${route.type} ${route.method} ${route.path}`).sort()).toEqual(declared);
    // Each admin row names the action its route file requires (a re-send: either, then the row's own).
    for (const route of adminRoutes().routes) {
      const row = ROUTES.find((r) => r.type === 'admin' && r.method === route.method && r.path === route.path)!;
      const policy = route.config.policies[1] as { name: string; config: { actions: string[] } };
      if (route.path === '/entitlements/resend' || route.path === '/entitlements/resend-attention') {
        expect(policy).toEqual({ name: 'plugin::osteocom.has-any-permission', config: { actions: [ACTIONS.authorize, ACTIONS.revoke] } });
        continue;
      }
      expect(policy).toEqual({ name: 'admin::hasPermissions', config: { actions: [ACTIONS[row.action as ActionName]] } });
    }
    for (const route of contentApiRoutes().routes) {
      const row = ROUTES.find((r) => r.type === 'content-api' && r.method === route.method && r.path === route.path)!;
      expect(row.action).toBe(`plugin::osteocom.${route.handler}`);
    }
  });

  it.each(CASES.map((c) => [`${c.route.type} ${c.route.method} ${c.route.path}`, c.caller, describeExpectation(c.expected), c] as const))(
    '%s as %s → %s',
    async (_route, caller, _expected, { route, expected }) => {
      const { url, body } = route.request(caller);
      const upstreamBefore = app.sandbox.count();
      const res = await send(route.method, url, credentialOf(route, caller), body);
      if (expected.status === 'ok') {
        expect([res.status, res.body?.error]).toEqual([expect.any(Number), undefined]);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(300);
        return;
      }
      expect(res.status).toBe(expected.status);
      if (expected.code) expect(res.body.error.details.code).toBe(expected.code);
      // A refused caller never makes the plugin talk to Osteocom.
      expect(app.sandbox.count()).toBe(upstreamBefore);
    }
  );

  describe('public amplification', () => {
    it('grants Public and Authenticated none of the catalog entry routes on a new site', async () => {
      for (const url of ['/api/osteocom/entries/channels', '/api/osteocom/entries/videos']) {
        for (const token of [undefined, endUser.jwt]) {
          const res = await send('GET', url, token);
          expect([res.status, res.body.error?.details?.code]).toEqual([403, 'FORBIDDEN']);
        }
      }
    });

    describe('on a site that grants Public the entry routes', () => {
      beforeAll(async () => {
        const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
        for (const action of ENTRY_ACTIONS) await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action, role: role.id } });
      });

      it.each(PUBLIC_AMPLIFICATION.map((probe) => [probe.name, probe.status, probe] as const))('%s → %d, bounded', async (_name, status, probe) => {
        const res = await send('GET', probe.url);
        expect([res.status, res.body.error?.details?.code]).toEqual([status, probe.code]);
        expect(res.text.length).toBeLessThanOrEqual(probe.maxBytes);
        if (probe.page) expect(res.body.meta.pagination).toMatchObject(probe.page);
      });
    });
  });

  describe('an end user cannot reach another user’s access (IDOR)', () => {
    const videoOfA = () => owned.video[1].videoId;

    it('never gets a video token for a channel only another user bought, whatever the body, query or headers say', async () => {
      const before = app.sandbox.count('videoAccess');
      // Raw JSON members, so that `__proto__` arrives as a key and not as a prototype.
      const a = JSON.stringify(ids.endUser);
      const claims = fc.constantFrom(
        `"userId":${a}`,
        `"user":${a}`,
        `"userId":${a},"user":{"id":1,"documentId":${a}}`,
        `"customerKey":${a}`,
        `"documentId":${a}`,
        `"id":1`,
        `"userId":[${a}]`,
        `"userId":{"$eq":${a}}`,
        `"__proto__":{"userId":${a}}`,
        `"constructor":{"prototype":{"userId":${a}}}`
      );
      await fc.assert(
        fc.asyncProperty(claims, fc.boolean(), fc.boolean(), async (claim, inQuery, withHeader) => {
          const query = inQuery ? `?userId=${encodeURIComponent(ids.endUser)}` : '';
          const req = app.http.post(`/api/osteocom/video-token${query}`).set(bearer(otherEndUser.jwt)).set('Content-Type', 'application/json');
          if (withHeader) req.set('X-User-Id', ids.endUser).set('X-Forwarded-User', ids.endUser);
          const res = await req.send(`{"videoId":${JSON.stringify(videoOfA())},${claim}}`);
          // Either the body is refused as malformed, or the caller's own (missing) entitlement decides.
          // Refused as malformed (by the plugin, or by Strapi's JSON parser for `__proto__`), or the
          // caller's own (missing) entitlement decides.
          expect([400, 403]).toContain(res.status);
          expect(res.body.data).toBeNull();
          if (claim.startsWith('"__proto__"')) expect(res.body.error).toMatchObject({ status: 400, message: expect.stringMatching(/__proto__/), details: { code: 'MALFORMED_REQUEST' } });
          else expect(['VALIDATION_ERROR', 'NOT_ENTITLED']).toContain(res.body.error.details.code);
        }),
        { numRuns: 30 }
      );
      expect(app.sandbox.count('videoAccess')).toBe(before);
    });

    it('sees only their own entitlements on /me, whatever the query or body say', async () => {
      for (const query of [`?userId=${ids.endUser}`, `?filters[userId]=${ids.endUser}`, `?customerKey=${ids.endUser}`, '']) {
        const res = await app.http.get(`/api/osteocom/me${query}`).set(bearer(otherEndUser.jwt));
        expect(res.status).toBe(200);
        expect(res.body.data.userId).toBe(ids.otherEndUser);
        expect(res.body.data.entitlements.map((e: { channelId: string }) => e.channelId)).toEqual([othersChannel.idChannel]);
      }
    });

    it('cannot grant or revoke access, for themselves or for anyone', async () => {
      const before = app.sandbox.count();
      const grant = await app.http
        .post('/api/osteocom/authorizations')
        .set(bearer(otherEndUser.jwt))
        .send({ userId: ids.otherEndUser, products: [{ productId: owned.idChannel }] });
      expect(grant.status).toBe(403);
      const revoke = await app.http.post('/api/osteocom/revocations').set(bearer(otherEndUser.jwt)).send({ userId: ids.endUser, channelId: owned.idChannel });
      expect(revoke.status).toBe(403);
      expect(app.sandbox.count()).toBe(before);
      const entitlements = await app.strapi.db.query('plugin::osteocom.entitlement').findMany({ where: { customerKey: { $in: [ids.endUser, ids.otherEndUser] } } });
      expect(entitlements.map((e: { customerKey: string; channelKey: string; status: string }) => `${e.customerKey}:${e.channelKey}:${e.status}`).sort()).toEqual(
        [`${ids.endUser}:${owned.idChannel}:active`, `${ids.otherEndUser}:${othersChannel.idChannel}:active`].sort()
      );
    });

    it('cannot read another customer through the admin routes with a users-permissions JWT', async () => {
      for (const url of [`/osteocom/customers/${ids.endUser}`, `/osteocom/audit-events?userId=${ids.endUser}`, '/osteocom/customers']) {
        expect((await app.http.get(url).set(bearer(otherEndUser.jwt))).status).toBe(401);
      }
    });

    it('cannot pass for another user with a forged or tampered JWT', async () => {
      const [header, payload, signature] = otherEndUser.jwt.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { id: number };
      const endUserRow = await app.strapi.db.query('plugin::users-permissions.user').findOne({ where: { documentId: ids.endUser } });
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, id: endUserRow.id })).toString('base64url')}.${signature}`;
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, id: endUserRow.id })).toString('base64url')}.`;
      const before = app.sandbox.count();
      for (const jwt of [tampered, unsigned]) {
        const token = await app.http.post('/api/osteocom/video-token').set(bearer(jwt)).send({ videoId: videoOfA() });
        expect(token.status).toBe(401);
        const me = await app.http.get('/api/osteocom/me').set(bearer(jwt));
        expect(me.status).toBe(401);
      }
      expect(app.sandbox.count()).toBe(before);
    });

    it('gets their own token once entitled, and loses it with the revocation (the control case)', async () => {
      const mine = await app.http.post('/api/osteocom/video-token').set(bearer(endUser.jwt)).send({ videoId: videoOfA(), userId: ids.otherEndUser });
      expect(mine.status).toBe(200);
      expect(app.sandbox.verifyVideoToken(mine.body.data.token)).toMatchObject({ userId: ids.endUser, videoId: videoOfA() });
    });
  });

  describe('re-sending a row needs the action of what it sends', () => {
    const userId = 'resend-refund-customer';
    const resend = (token: string | undefined, body: object) => send('POST', '/osteocom/entitlements/resend', token, body);

    it('a refund needs revoke, a purchase authorize: 403 FORBIDDEN otherwise, and nothing reaches Osteocom', async () => {
      expect((await asSuperAdmin('POST', '/osteocom/authorizations', { userId, products: [{ productId: shopChannel.idChannel }] })).status).toBe(200);
      authorizedUserIds.add(userId);
      expect((await asSuperAdmin('POST', '/osteocom/revocations', { userId, channelId: shopChannel.idChannel })).status).toBe(200);
      const refund = { userId, channelId: shopChannel.idChannel };
      const purchase = { userId: RESENT_CUSTOMER, channelId: shopChannel.idChannel };
      const upstreamBefore = app.sandbox.count();

      // An admin whose own /revocations is 403 cannot re-send a refund either.
      expect((await send('POST', '/osteocom/revocations', adminsWith.get('authorize'), refund)).status).toBe(403);
      const refused = await resend(adminsWith.get('authorize'), refund);
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toEqual({ code: 'FORBIDDEN', intent: 'revoke' });
      expect(refused.body.error.message).toMatch(/refund.*"Revoke customer access"/);
      const wrongWay = await resend(adminsWith.get('revoke'), purchase);
      expect([wrongWay.status, wrongWay.body.error?.details]).toEqual([403, { code: 'FORBIDDEN', intent: 'authorize' }]);
      expect(app.sandbox.count()).toBe(upstreamBefore);

      const allowed = await resend(adminsWith.get('revoke'), refund);
      expect([allowed.status, allowed.body.data?.state]).toEqual([200, 'revoked']);
      expect((await resend(adminsWith.get('authorize'), purchase)).status).toBe(200);
      expect((await resend(adminWithNothing, refund)).status).toBe(403);
    });
  });

  describe('secrets stay secret', () => {
    it('never echoes a secret typed into a locked setting', async () => {
      const res = await asSuperAdmin('PUT', '/osteocom/settings', { clientSecret: CLIENT_SECRET });
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(res.body)).not.toContain(CLIENT_SECRET);
    });

    it('keeps secrets out of errors when Osteocom answers with them in its messages', async () => {
      // The bearer currently in use, and the secrets, echoed back in upstream error messages.
      const used = app.sandbox.requests.map((r) => r.headers.authorization).filter(Boolean).at(-1)!.replace(/^Bearer /, '');
      const accessKey = app.sandbox.customer(ids.endUser)!.accessKey;
      const echo = `bad ${CLIENT_SECRET} ${used} ${accessKey}`;
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 400, json: { error: echo } });
      const refused = await asSuperAdmin('POST', '/osteocom/authorizations', { userId: 'echo-customer', products: [{ productId: shopChannel.idChannel }] });
      expect(refused.status).toBe(502);
      expect(refused.body.error.details.code).toBe('UPSTREAM_REJECTED');

      app.sandbox.inject({ endpoint: 'login', status: 401, json: { error: `wrong secret ${CLIENT_SECRET}` } });
      const login = await asSuperAdmin('POST', '/osteocom/settings/test-connection');
      expect(login.status).toBe(502);
      expect(login.body.error.details.code).toBe('UPSTREAM_UNAUTHORIZED');

      app.sandbox.inject({ endpoint: 'catalog', json: { catalog: [{ idChannel: used, title: accessKey, price: CLIENT_SECRET }] } });
      const sync = await asSuperAdmin('POST', '/osteocom/sync?wait=true');
      expect(sync.body.data).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_INVALID_RESPONSE' });

      app.sandbox.inject({ endpoint: 'videoAccess', status: 500, body: `<html>${accessKey} ${used}</html>`, times: 3 });
      const down = await app.http.post('/api/osteocom/video-token').set(bearer(endUser.jwt)).send({ videoId: owned.video[0].videoId });
      // A cached token may still be served; otherwise the outage is a clean 503.
      expect([200, 503]).toContain(down.status);
      app.sandbox.clearFaults();
      // The failures above are on record (runs, audit), where the leak check below looks too.
      expect((await asSuperAdmin('GET', '/osteocom/sync-runs')).status).toBe(200);
      expect((await asSuperAdmin('GET', '/osteocom/audit-events?pageSize=100')).status).toBe(200);
      expect((await asSuperAdmin('GET', '/osteocom/customers/echo-customer')).status).toBe(200);
    });

    it('stores access keys encrypted (v2 ciphertext naming its key id, never the key)', async () => {
      const raw = await app.strapi.db.connection('osteocom_customers').select('user_id', 'access_key');
      const keyed = raw.filter((row: { access_key: string | null }) => row.access_key !== null);
      expect(keyed.length).toBeGreaterThanOrEqual(3);
      for (const row of keyed as { user_id: string; access_key: string }[]) {
        const accessKey = app.sandbox.customer(row.user_id)!.accessKey;
        expect(row.access_key).toMatch(/^v2:[0-9a-f]{8}:[\w-]+:[\w-]+:[\w-]+$/);
        expect(row.access_key).not.toContain(accessKey);
        expect(row.access_key).not.toContain(accessKey.split('.')[1]);
      }
    });

    it('leaked no client secret, bearer, access key or video token anywhere during the suite', async () => {
      const bearers = [...new Set(app.sandbox.requests.map((r) => r.headers.authorization).filter((h): h is string => typeof h === 'string'))].map((h) =>
        h.replace(/^Bearer /, '')
      );
      const accessKeys = [...authorizedUserIds].map((userId) => app.sandbox.customer(userId)?.accessKey).filter((key): key is string => Boolean(key));
      const isTokenReply = (r: { method: string; url: string; status: number }) => r.method === 'POST' && r.url.startsWith('/api/osteocom/video-token') && r.status === 200;
      const videoTokens = responses.responses.filter(isTokenReply).map((r) => (JSON.parse(r.body) as { data: { token: string } }).data.token);
      // The suite did exercise what it checks.
      expect(bearers.length).toBeGreaterThanOrEqual(1);
      expect(accessKeys.length).toBe(authorizedUserIds.size);
      expect(videoTokens.length).toBeGreaterThanOrEqual(3);
      expect(responses.responses.length).toBeGreaterThan(CASES.length);
      expect(logs.lines.length).toBeGreaterThan(50);

      const label = (prefix: string, values: string[]) => Object.fromEntries(values.map((value, i) => [`${prefix} #${i + 1}`, value]));
      const secrets = { clientSecret: CLIENT_SECRET, ...label('bearer', bearers), ...label('access key', accessKeys) };
      const everywhere = { ...secrets, ...label('video token', videoTokens) };

      const pluginTables = (await app.strapi.db.connection.raw(
        app.database.kind === 'sqlite'
          ? "select name from sqlite_master where type = 'table' and name like 'osteocom%'"
          : app.database.kind === 'postgres'
            ? "select table_name as name from information_schema.tables where table_schema = current_schema() and table_name like 'osteocom%'"
            : "select table_name as name from information_schema.tables where table_schema = database() and table_name like 'osteocom%'"
      )) as unknown;
      const rows = (Array.isArray(pluginTables) ? (app.database.kind === 'mysql' ? pluginTables[0] : pluginTables) : (pluginTables as { rows: unknown[] }).rows) as {
        name?: string;
        NAME?: string;
        TABLE_NAME?: string;
      }[];
      const tables: { where: string; text: string }[] = [];
      for (const row of rows) {
        const name = row.name ?? row.NAME ?? row.TABLE_NAME!;
        tables.push({ where: `table ${name}`, text: JSON.stringify(await app.strapi.db.connection(name).select('*')) });
      }
      expect(tables.length).toBeGreaterThanOrEqual(7);
      const store = await app.strapi.db.connection('strapi_core_store_settings').where('key', 'like', '%osteocom%').select('*');
      tables.push({ where: 'core store', text: JSON.stringify(store) });

      const everywhereTexts = [
        ...logs.lines.map((line, i) => ({ where: `log #${i} (${line.level})`, text: line.text })),
        ...responses.responses.map((r, i) => ({ where: `response #${i} headers (${r.method} ${r.url})`, text: JSON.stringify(r.headers) })),
        ...responses.responses.filter((r) => !isTokenReply(r)).map((r, i) => ({ where: `response #${i} body (${r.method} ${r.url} ${r.status})`, text: r.body })),
        ...tables,
      ];
      const tokenReplies = responses.responses.filter(isTokenReply).map((r, i) => ({ where: `video-token reply #${i}`, text: r.body }));
      expect([...findLeaks(everywhere, everywhereTexts), ...findLeaks(secrets, tokenReplies)]).toEqual([]);
    });
  });
});

/**
 * Finding 2: an admin saved a public https base URL with a throwaway secret; the operator later
 * moved the credentials into OSTEOCOM_CLIENT_ID/SECRET without OSTEOCOM_BASE_URL. Test connection
 * and sync must not send the operator's secret to the admin's host. Every TLS connection is caught
 * in-process (tests/helpers/outbound.ts): the request is read on loopback, never sent out.
 */
describe('security: the operator’s secret never goes to a base URL an admin typed', () => {
  const ADMIN_HOST = '93.184.215.14';
  const THROWAWAY = 'throwaway-secret-typed-by-an-admin';
  const OPERATOR_SECRET = `operator-secret-${randomBytes(12).toString('hex')}`;
  let database: TestDatabase;
  let app: TestApp | undefined;
  let outbound: Awaited<ReturnType<typeof catchOutboundTls>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    outbound = await catchOutboundTls();
  });

  afterAll(async () => {
    await app?.close();
    await outbound?.restore();
    await database?.drop();
  });

  it('after a restart with the secret in the environment, test connection and sync call Osteocom’s own host only', async () => {
    app = await startTestApp({ database, env: { OSTEOCOM_BASE_URL: undefined, OSTEOCOM_CLIENT_ID: undefined, OSTEOCOM_CLIENT_SECRET: undefined } });
    const admin = (await createAdmin(app, 'super')).token;
    const as = (method: 'get' | 'post', url: string) => app!.http[method](url).set('Authorization', `Bearer ${admin}`);
    const saved = await app.http
      .put('/osteocom/settings')
      .set('Authorization', `Bearer ${admin}`)
      .send({ baseUrl: `https://${ADMIN_HOST}/sv6`, clientId: 'admin-client', clientSecret: THROWAWAY });
    expect(saved.status).toBe(200);
    await app.close();
    app = undefined;

    let logs: ReturnType<typeof captureLogs> | undefined;
    app = await startTestApp({
      database,
      env: { OSTEOCOM_BASE_URL: undefined, OSTEOCOM_CLIENT_ID: 'operator-client', OSTEOCOM_CLIENT_SECRET: OPERATOR_SECRET },
      pluginConfig: { http: { maxAttempts: 1 } },
      beforeLoad: (strapi) => {
        logs = captureLogs(strapi.log);
      },
    });
    const test = await as('post', '/osteocom/settings/test-connection');
    const sync = await as('post', '/osteocom/sync?wait=true');

    // What would have been sent, and where: the operator's secret only ever to Osteocom's test host.
    expect(outbound.attempts.map(({ host }) => host)).not.toContain(ADMIN_HOST);
    expect(outbound.caught.filter(({ host }) => host.includes(ADMIN_HOST))).toEqual([]);
    const logins = outbound.caught.filter(({ body }) => body.includes(OPERATOR_SECRET));
    expect(logins.map(({ host, url }) => `${host}${url}`)).toEqual(['test.osteocom.me/sv6/contentLicensing_login', 'test.osteocom.me/sv6/contentLicensing_login']);
    expect(outbound.caught.some(({ body }) => body.includes(THROWAWAY))).toBe(false);
    // The caught requests were answered 503: Osteocom unreachable, as it would be reported.
    expect([test.status, test.body.error?.details.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE']);
    expect(sync.body.data).toMatchObject({ status: 'failed', errorCode: 'UPSTREAM_UNAVAILABLE' });

    // The typed URL (and the secret saved for it) left the store, with a warning that says why.
    const stored = await app.strapi.store({ type: 'plugin', name: 'osteocom', key: 'settings' }).get({});
    expect(stored).toMatchObject({ baseUrl: null, clientSecretEncrypted: null });
    const warned = logs!.lines.filter((line) => line.level === 'warn' && line.text.includes(`https://${ADMIN_HOST}`));
    expect(warned).toHaveLength(1);
    expect(warned[0].text).toMatch(/cleared.*OSTEOCOM_CLIENT_SECRET.*OSTEOCOM_BASE_URL/);
    expect(logs!.lines.filter((line) => line.text.includes(OPERATOR_SECRET) || line.text.includes(THROWAWAY))).toEqual([]);

    // The admin sees where each value now comes from.
    const settings = await as('get', '/osteocom/settings');
    expect(settings.body.data.values).toMatchObject({ baseUrl: null, clientId: 'operator-client', clientSecretSet: true });
    expect(settings.body.data.sources).toMatchObject({ baseUrl: 'default', clientId: 'config', clientSecret: 'config', environment: 'default' });
  });
});
