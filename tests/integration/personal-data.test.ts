/**
 * Issue 16, personal-data requests (GDPR articles 15 and 17): an admin exports everything the
 * plugin holds about a customer (never a secret) and erases their email, name and surname from
 * every plugin table, raw rows read behind Strapi's back, while the access they bought goes on.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { connectTo, pluginRows } from '../helpers/db-inspect';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const [A, B] = catalog.map((channel) => channel.idChannel);
const VIDEO_A = catalog[0].video[0].videoId;
const AUDIT = 'plugin::osteocom.audit-event';
const ENTITLEMENT = 'plugin::osteocom.entitlement';

/** Letters only, unlike any other text of the tables: a name Osteocom may quote in a refusal. */
const letters = () => [...randomBytes(6)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
const person = () => {
  const name = `Zeb${letters()}`;
  const surname = `Quux${letters()}`;
  return { name, surname, email: `${name.toLowerCase()}.${surname.toLowerCase()}@example.com` };
};

/** Where in the plugin's tables any of `values` still appears (any case). */
const findValues = (rows: Record<string, Record<string, unknown>[]>, values: string[]) =>
  Object.entries(rows).flatMap(([table, tableRows]) =>
    tableRows.flatMap((row) => values.filter((value) => JSON.stringify(row).toLowerCase().includes(value.toLowerCase())).map((value) => `${table}#${String(row.id)}: ${value}`))
  );

describe('personal-data requests', () => {
  let app: TestApp;
  let admin: string;
  let knex: Knex;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const exportOf = (userId: string, token = admin) => app.http.get(`/osteocom/customers/${encodeURIComponent(userId)}/export`).set(as(token));
  const erase = (userId: string, token = admin) => app.http.post(`/osteocom/customers/${encodeURIComponent(userId)}/erase`).set(as(token));
  /** Runs the outbox until nothing is left to send, each operation made due at once. */
  const drain = async () => {
    for (let pass = 0; pass < 10; pass += 1) {
      const where = { pendingOperation: { $notNull: true } };
      if (!(await app.strapi.db.query(ENTITLEMENT).count({ where }))) return;
      await app.strapi.db.query(ENTITLEMENT).updateMany({ where, data: { nextAttemptAt: new Date(0) } });
      await app.strapi.plugin('osteocom').service('outbox').runOnce();
    }
    throw new Error('the outbox did not settle in 10 passes');
  };

  /**
   * An end user who bought A (until a date) and whose purchase of B Osteocom refused with a
   * message that quotes their name, so the name sits in an entitlement's error and in the audit.
   */
  const customerWithHistory = async () => {
    const { user, jwt } = await createEndUser(app);
    const userId = user.documentId;
    const profile = person();
    const authorize = (productId: string, extra: object = {}) =>
      app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, ...profile, marketingConsent: true, products: [{ productId, ...extra }] });
    const accessUntil = inDays(300);
    expect((await authorize(A, { accessUntil })).status).toBe(200);
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 400, json: { error: `Customer ${profile.name} ${profile.surname} is not enabled` }, match: { userId } });
    const refused = await authorize(B);
    expect([refused.status, refused.body.error.details.code]).toEqual([502, 'UPSTREAM_REJECTED']);
    expect(refused.body.error.message).toContain(profile.name);
    return { userId, jwt, profile, accessUntil, values: [profile.email, profile.name, profile.surname] };
  };

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(as(admin))).body.data.status).toBe('succeeded');
    knex = connectTo(app.database);
  });
  afterEach(() => app.sandbox.clearFaults());
  afterAll(async () => {
    await knex?.destroy();
    await app?.close();
  });

  it('exports the profile, the entitlements with their dates and states, and the audit events, as a JSON download without any secret', async () => {
    const { userId, profile, accessUntil } = await customerWithHistory();
    const res = await exportOf(userId);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="osteocom-customer-${userId}.json"; filename*=UTF-8''osteocom-customer-${userId}.json`);
    expect(res.headers['cache-control']).toBe('no-store');
    const { data } = JSON.parse(res.text);
    expect(data.customer).toMatchObject({ userId, ...profile, marketingConsent: true, erasedAt: null });
    expect(data.entitlements).toEqual([
      expect.objectContaining({ channelKey: A, status: 'active', accessUntil: new Date(accessUntil).toISOString(), channelTitle: catalog[0].title }),
      expect.objectContaining({ channelKey: B, status: 'failed', lastErrorCode: 'UPSTREAM_REJECTED', accessUntil: null }),
    ]);
    expect(data.auditEvents.map((event: { action: string; outcome: string }) => [event.action, event.outcome])).toEqual([
      ['authorize', 'success'],
      ['authorize', 'failure'],
    ]);
    // Other people's data is not the customer's to get: which admin acted is left out.
    expect(data.auditEvents[0]).toEqual({ action: 'authorize', outcome: 'success', actorType: 'admin', channelKey: A, details: {}, createdAt: expect.any(String) });

    const accessKey = app.sandbox.customer(userId)!.accessKey;
    const stored = (await knex('osteocom_customers').where({ user_id: userId }).first()) as { access_key: string };
    expect(stored.access_key).toEqual(expect.any(String));
    expect(res.text).not.toContain(accessKey);
    expect(res.text).not.toContain(stored.access_key);
    expect(res.text).not.toMatch(/accessKey|access_key|operationId|ciphertext/i);
  });

  it('erases email, name and surname from every plugin table, keeps the entitlements and the access, and records the erasure pseudonymously', async () => {
    const { userId, jwt, values } = await customerWithHistory();
    const before = await pluginRows(knex);
    // The control case: before the erasure the values are there to be found, where they hide included.
    const where = findValues(before, values);
    expect(where.some((hit) => hit.startsWith('osteocom_customers#'))).toBe(true);
    expect(where.some((hit) => hit.startsWith('osteocom_entitlements#'))).toBe(true);
    expect(where.some((hit) => hit.startsWith('osteocom_audit_events#'))).toBe(true);
    const entitlementsBefore = before.osteocom_entitlements.filter((row) => row.customer_key === userId);

    const res = await erase(userId);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ userId, erasedAt: expect.any(String), changed: true });

    const after = await pluginRows(knex);
    expect(findValues(after, values)).toEqual([]);
    // Written as the instant it is, epoch ms (server/src/database/epoch-instants.ts), though the erasure's write goes through knex.
    expect(Number(after.osteocom_customers.find((row) => row.user_id === userId)!.erased_at)).toBe(Date.parse(res.body.data.erasedAt));
    // Kept as sold: the same rows, only an error's quote of the name masked.
    // Masking an error is a guarded write: it moves the row's version and update time, nothing else.
    const mask = (rows: Record<string, unknown>[]) => rows.map(({ last_error: _lastError, version: _version, updated_at: _updatedAt, ...row }) => row);
    expect(mask(after.osteocom_entitlements.filter((row) => row.customer_key === userId))).toEqual(mask(entitlementsBefore));
    expect(after.osteocom_entitlements.find((row) => row.customer_key === userId && row.channel_key === B)!.last_error).toContain('[erased]');
    expect((await app.http.post('/api/osteocom/video-token').set(as(jwt)).send({ videoId: VIDEO_A })).status).toBe(200);

    const profile = await app.http.get(`/osteocom/customers/${encodeURIComponent(userId)}`).set(as(admin));
    expect(profile.body.data).toMatchObject({ userId, email: null, name: null, surname: null, marketingConsent: true, erasedAt: res.body.data.erasedAt });
    expect(profile.body.data.entitlements.map((row: { channelKey: string; status: string }) => [row.channelKey, row.status])).toEqual([
      [A, 'active'],
      [B, 'failed'],
    ]);
    const erasures = await app.strapi.db.query(AUDIT).findMany({ where: { subjectUserId: userId, action: 'erase' } });
    expect(erasures).toEqual([
      expect.objectContaining({ outcome: 'success', actorType: 'admin', details: { fields: ['email', 'name', 'surname'], auditEvents: 1, entitlementErrors: 1 } }),
    ]);
    const exported = JSON.parse((await exportOf(userId)).text).data;
    expect(findValues({ export: [exported] }, values)).toEqual([]);
    expect(exported.auditEvents.map((event: { action: string }) => event.action)).toEqual(['authorize', 'authorize', 'erase']);
  });

  it('is idempotent: erasing again changes nothing and records nothing more; a profile given later can be erased again', async () => {
    const { userId, values } = await customerWithHistory();
    const first = await erase(userId);
    const rows = await pluginRows(knex);
    const second = await erase(userId);
    expect([second.status, second.body.data]).toEqual([200, { userId, erasedAt: first.body.data.erasedAt, changed: false }]);
    expect(await pluginRows(knex)).toEqual(rows);

    const again = person();
    expect((await app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, ...again, products: [{ productId: A }] })).status).toBe(200);
    expect((await erase(userId)).body.data.changed).toBe(true);
    expect(findValues(await pluginRows(knex), [...values, again.email, again.name, again.surname])).toEqual([]);
    expect(await app.strapi.db.query(AUDIT).count({ where: { subjectUserId: userId, action: 'erase' } })).toBe(2);
  });

  it('erases every value the customer ever had: an earlier name quoted by a refusal, an earlier email, in errors, audit and the export', async () => {
    const { user } = await createEndUser(app);
    const userId = user.documentId;
    const first = person();
    const later = { ...person(), email: `later.${letters()}@example.com` };
    const authorize = (profile: object, productId: string) => app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, ...profile, products: [{ productId }] });
    // Bought as the first person; Osteocom refused B with a message quoting that name (an address it quotes is never kept).
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 400, json: { error: `Customer ${first.name} ${first.surname} is blocked` }, match: { userId } });
    expect((await authorize(first, B)).status).toBe(502);
    // Then under the later name and email.
    expect((await authorize(later, A)).status).toBe(200);
    const earlier = [first.email, first.name, first.surname];
    const current = [later.email, later.name, later.surname];

    // The export holds the earlier values too: they are personal data the plugin keeps.
    const exported = JSON.parse((await exportOf(userId)).text).data;
    expect(exported.customer).toMatchObject({ ...later, earlierValues: { email: [first.email], name: [first.name], surname: [first.surname] } });
    const before = findValues(await pluginRows(knex), earlier);
    expect(before.filter((hit) => hit.startsWith('osteocom_customers#'))).toHaveLength(3);
    expect(before.some((hit) => hit.startsWith('osteocom_entitlements#'))).toBe(true);
    expect(before.some((hit) => hit.startsWith('osteocom_audit_events#'))).toBe(true);

    expect((await erase(userId)).status).toBe(200);
    expect(findValues(await pluginRows(knex), [...earlier, ...current])).toEqual([]);
    const after = JSON.parse((await exportOf(userId)).text).data;
    expect(after.customer).toMatchObject({ email: null, name: null, surname: null, earlierValues: {} });
    expect(findValues({ export: [after] }, [...earlier, ...current])).toEqual([]);
    expect(after.entitlements.find((row: { channelKey: string }) => row.channelKey === B).lastError).toContain('"Customer [erased] [erased] is blocked"');
  });

  it('refuses an erasure while a purchase waits in the outbox (409 PENDING_OPERATIONS), so it still reaches Osteocom with the email and ends active', async () => {
    app.sandbox.setAccount({ marketingConsentEnabled: true });
    try {
      const { user } = await createEndUser(app);
      const userId = user.documentId;
      const profile = person();
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null, match: { userId } });
      const bought = await app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, ...profile, marketingConsent: true, products: [{ productId: A }] });
      expect(bought.status).toBe(202);

      const refused = await erase(userId);
      expect([refused.status, refused.body.error.details]).toEqual([409, { code: 'PENDING_OPERATIONS', pending: [{ operation: 'authorize', channelId: A }] }]);
      expect(refused.body.error.message).toContain(A);
      expect(await app.strapi.db.query('plugin::osteocom.customer').findOne({ where: { userId } })).toMatchObject({ ...profile, erasedAt: null });

      app.sandbox.clearFaults();
      await drain();
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } })).toMatchObject({ status: 'active', pendingOperation: null });
      expect(app.sandbox.customer(userId)!.activations[A]).toEqual(expect.objectContaining({ activatedAt: expect.any(String) }));

      // Once the purchase is confirmed, the same erasure goes through and the access stays.
      expect((await erase(userId)).status).toBe(200);
      expect(findValues(await pluginRows(knex), [profile.email, profile.name, profile.surname])).toEqual([]);
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } })).toMatchObject({ status: 'active' });
    } finally {
      app.sandbox.setAccount({ marketingConsentEnabled: false });
    }
  });

  /** Runs `between` once, right after the first row of `model` written by `kind` whose data `matches`. */
  const afterWrite = (model: string, kind: 'afterCreate' | 'afterUpdateMany', matches: (data: Record<string, unknown>) => boolean, between: () => Promise<unknown>) => {
    let ran = false;
    const unsubscribe = app.strapi.db.lifecycles.subscribe({
      models: [model],
      [kind]: async (event: { params: { data?: Record<string, unknown> } }) => {
        if (ran || !matches(event.params.data ?? {})) return;
        ran = true;
        await between();
      },
    }) as unknown as () => void;
    return { unsubscribe, ran: () => ran };
  };

  /** A customer who bought B with a profile, on an account that requires emails. */
  const emailRequiredBuyer = async () => {
    const { user } = await createEndUser(app);
    const userId = user.documentId;
    const profile = person();
    const buy = (productId: string) => app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, ...profile, marketingConsent: true, products: [{ productId }] });
    expect((await buy(B)).status).toBe(200);
    return { userId, profile, buy };
  };

  it('finding 5: a purchase recorded between an erasure\'s pending check and its blanking refuses the erasure (409), so the purchase reaches Osteocom with the email and ends active', async () => {
    app.sandbox.setAccount({ marketingConsentEnabled: true });
    try {
      const { userId, profile, buy } = await emailRequiredBuyer();
      let bought: { status: number } | undefined;
      // The erasure has found nothing pending and recorded itself; the purchase (Osteocom answering 503) lands before it blanks.
      const between = afterWrite(AUDIT, 'afterCreate', (data) => data.action === 'erase' && data.subjectUserId === userId, async () => {
        app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null, match: { userId } });
        bought = await buy(A);
      });
      let erased;
      try {
        erased = await erase(userId);
      } finally {
        between.unsubscribe();
      }
      expect([between.ran(), bought?.status]).toEqual([true, 202]);
      expect([erased.status, erased.body.error?.details]).toEqual([409, { code: 'PENDING_OPERATIONS', pending: [{ operation: 'authorize', channelId: A }] }]);
      expect(await app.strapi.db.query('plugin::osteocom.customer').findOne({ where: { userId } })).toMatchObject({ ...profile, erasedAt: null });

      app.sandbox.clearFaults();
      await drain();
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } })).toMatchObject({ status: 'active', pendingOperation: null });
      expect(app.sandbox.customer(userId)!.activations[A]).toEqual(expect.objectContaining({ activatedAt: expect.any(String) }));
      expect((await erase(userId)).status).toBe(200);
      expect(findValues(await pluginRows(knex), [profile.email, profile.name, profile.surname])).toEqual([]);
    } finally {
      app.sandbox.setAccount({ marketingConsentEnabled: false });
    }
  });

  it('a purchase whose customer an erasure blanks between the purchase\'s profile write and its call still sends the profile it was given, and ends active', async () => {
    app.sandbox.setAccount({ marketingConsentEnabled: true });
    try {
      const { userId, profile, buy } = await emailRequiredBuyer();
      let erased: { status: number } | undefined;
      // The purchase has stored its profile (nothing pending yet): a whole erasure goes through before the purchase records and sends.
      const between = afterWrite('plugin::osteocom.customer', 'afterUpdateMany', (data) => 'earlierValues' in data && data.email === profile.email, async () => {
        erased = await erase(userId);
      });
      let bought;
      try {
        bought = await buy(A);
      } finally {
        between.unsubscribe();
      }
      expect([between.ran(), erased?.status]).toEqual([true, 200]);
      expect([bought.status, bought.body.data?.state]).toEqual([200, 'active']);
      expect(await app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey: A } })).toMatchObject({ status: 'active', pendingOperation: null });
      const sent = app.sandbox.requests.filter((r) => r.endpoint === 'contentAccessAuthorization' && (r.body as { userId?: string }).userId === userId).at(-1);
      expect(sent?.body).toMatchObject({ email: profile.email });
    } finally {
      app.sandbox.setAccount({ marketingConsentEnabled: false });
    }
  });

  it('updates and erases a name the database does not give back as it was sent (a lone surrogate)', async () => {
    const userId = `surrogate-${letters()}`;
    const send = (name: string) => app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, name, products: [{ productId: A }] });
    expect((await send('Zeb\ud800')).status).toBe(200);
    expect((await send('Zebedee')).status).toBe(200);
    const res = await erase(userId);
    expect([res.status, res.body.data?.changed]).toEqual([200, true]);
    expect(await app.strapi.db.query('plugin::osteocom.customer').findOne({ where: { userId } })).toMatchObject({ name: null, earlierValues: null });
  });

  it('names the file after any user id: ASCII in filename, exact in filename* (RFC 6266)', async () => {
    const userId = "zoë o'neil/1 (*)";
    expect((await app.http.post('/osteocom/authorizations').set(as(admin)).send({ userId, products: [{ productId: A }] })).status).toBe(200);
    const res = await exportOf(userId);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      "attachment; filename=\"osteocom-customer-zo__o_neil_1____.json\"; filename*=UTF-8''osteocom-customer-zo%C3%AB%20o%27neil%2F1%20%28%2A%29.json"
    );
    expect(JSON.parse(res.text).data.customer.userId).toBe(userId);
  });

  it('answers 404 CUSTOMER_NOT_FOUND for a customer the plugin does not know, and writes nothing', async () => {
    const audit = await app.strapi.db.query(AUDIT).count();
    for (const res of [await exportOf('nobody-like-this'), await erase('nobody-like-this')]) {
      expect([res.status, res.body.error.details.code]).toEqual([404, 'CUSTOMER_NOT_FOUND']);
    }
    expect(await app.strapi.db.query(AUDIT).count()).toBe(audit);
  });

  it('refuses both to a role without their own actions (reading customers is not enough), and each to a role with only the other', async () => {
    const { userId, values } = await customerWithHistory();
    const reader = (await createAdmin(app, ['plugin::osteocom.read'])).token;
    const exporter = (await createAdmin(app, ['plugin::osteocom.customers.export'])).token;
    const eraser = (await createAdmin(app, ['plugin::osteocom.customers.erase'])).token;
    for (const [res, status] of [
      [await exportOf(userId, reader), 403],
      [await erase(userId, reader), 403],
      [await erase(userId, exporter), 403],
      [await exportOf(userId, eraser), 403],
      [await exportOf(userId, exporter), 200],
    ] as const) {
      expect(res.status).toBe(status);
    }
    expect(findValues(await pluginRows(knex), values).length).toBeGreaterThan(0);
    expect((await erase(userId, eraser)).status).toBe(200);
    expect(findValues(await pluginRows(knex), values)).toEqual([]);
  });
});
