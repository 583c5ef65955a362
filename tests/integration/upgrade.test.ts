/**
 * Upgrading from 0.1.0 (issue 27): a database as 0.1.0 left it — its customers and entitlements
 * tables without the columns and indexes added since, access keys in v1, rows written twice by
 * racing calls (of different statuses) and a purchase still pending — opened by this version.
 * No access is lost, an active duplicate is never replaced by a failed one, merged accesses are
 * flagged for a check, the log lines carry their counts in the message, and the v1 access keys
 * stay as 0.1.0 can read them until the operator confirms (or lists a new key).
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { createSandbox, generateCatalog, type Sandbox } from '../../sandbox/src';
import customerSchema from '../../server/src/content-types/customer/schema.json';
import entitlementSchema from '../../server/src/content-types/entitlement/schema.json';
import { createAdmin, createApiToken } from '../helpers/auth';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 2 });
const channel = catalog[0].idChannel;
const video = catalog[0].video[0].videoId;
const KEY = `upgrade-key-${randomBytes(8).toString('hex')}`;

/** The attributes 0.1.0's schemas had (git show 0.1.0:server/src/content-types/…/schema.json). */
const V010_COLUMNS: Record<string, string[]> = {
  osteocom_customers: ['user_id', 'email', 'name', 'surname', 'marketing_consent', 'access_key'],
  osteocom_entitlements: [
    'customer_key',
    'channel_key',
    'entitlement_key',
    'price',
    'status',
    'pending_operation',
    'attempts',
    'next_attempt_at',
    'last_error',
    'authorized_at',
    'revoked_at',
    'needs_reconciliation',
  ],
};
const V010_DATETIMES = ['next_attempt_at', 'authorized_at', 'revoked_at'];
const STRAPI_COLUMNS = ['id', 'document_id', 'created_at', 'updated_at', 'published_at', 'created_by_id', 'updated_by_id', 'locale'];
type Index = { name: string; columns: string[]; type?: string };
const INDEXES: Record<string, Index[]> = {
  osteocom_customers: customerSchema.indexes,
  osteocom_entitlements: entitlementSchema.indexes,
};

/** `v1:iv:tag:body` as 0.1.0 wrote it: AES-256-GCM with the SHA-256 of the configured key. */
const v1Ciphertext = (plaintext: string) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(KEY).digest(), iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join(':');
};

const T0 = Date.parse('2026-11-20T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
/** 0.1.0's entitlement key. */
const keyOf = (userId: string) => `${userId}::${channel}`;

describe('upgrading a database written by 0.1.0', () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let app: TestApp;
  let admin: string;
  let apiToken: string;
  const messages: string[] = [];

  const boot = (pluginConfig: Record<string, unknown> = {}) =>
    startTestApp({
      database,
      existingSandbox: sandbox,
      env: { OSTEOCOM_ENCRYPTION_KEY: KEY },
      pluginConfig,
      // Strapi's default log format prints the message only: that is what is kept.
      beforeLoad: (strapi: Core.Strapi) => {
        for (const level of ['info', 'warn', 'error'] as const) {
          const original = strapi.log[level].bind(strapi.log);
          strapi.log[level] = ((message: string, ...rest: unknown[]) => {
            messages.push(message);
            return original(message, ...rest);
          }) as (typeof strapi.log)[typeof level];
        }
      },
    });

  const knex = () => app.strapi.db.connection;
  const asAdmin = (method: 'get' | 'post', url: string) => app.http[method](url).set('Authorization', `Bearer ${admin}`);
  const token = (userId: string) => app.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${apiToken}`).send({ videoId: video, userId });
  const entitlement = (userId: string) => knex()('osteocom_entitlements').where({ entitlement_key: keyOf(userId) });
  const logged = (text: string) => messages.filter((message) => message.includes(text));

  /** The plugin's money tables as 0.1.0 created them: no index, none of the later columns. */
  const reshapeAs010 = async () => {
    for (const [table, kept] of Object.entries(V010_COLUMNS)) {
      await knex()(table).delete();
      const existing = Object.keys(await knex()(table).columnInfo());
      const dropped = existing.filter((column) => !kept.includes(column) && !STRAPI_COLUMNS.includes(column));
      await knex().schema.alterTable(table, (builder) => {
        for (const index of INDEXES[table]) {
          if (index.type === 'unique') builder.dropUnique(index.columns, index.name);
          else builder.dropIndex(index.columns, index.name);
        }
      });
      await knex().schema.alterTable(table, (builder) => builder.dropColumns(...dropped));
      // 0.1.0 stored instants as Strapi `datetime` columns (epoch milliseconds came later).
      const instants = kept.filter((column) => V010_DATETIMES.includes(column));
      if (!instants.length) continue;
      await knex().schema.alterTable(table, (builder) => builder.dropColumns(...instants));
      await knex().schema.alterTable(table, (builder) => {
        for (const column of instants) builder.datetime(column, { useTz: false, precision: 6 });
      });
    }
    await knex()('strapi_database_schema').update({ hash: 'written-by-0.1.0' });
  };

  const insert010 = async () => {
    const customer = (userId: string, minutes: number, accessKey: string | null, email: string | null = null) => ({
      user_id: userId,
      email,
      access_key: accessKey,
      marketing_consent: false,
      created_at: at(minutes),
      updated_at: at(minutes),
    });
    const sealed = (userId: string) => v1Ciphertext(sandbox.customer(userId)!.accessKey);
    await knex()('osteocom_customers').insert([
      customer('paying', 0, sealed('paying')),
      // Written twice by two racing purchases: the second without the access key.
      customer('paying', 1, null, 'paying@example.com'),
      customer('twice', 0, sealed('twice')),
      customer('refunded', 0, sealed('refunded')),
      customer('waiting', 0, null, 'waiting@example.com'),
    ]);
    const row = (userId: string, status: string, minutes: number, extra: Record<string, unknown> = {}) => ({
      entitlement_key: keyOf(userId),
      customer_key: userId,
      channel_key: channel,
      status,
      attempts: 0,
      needs_reconciliation: false,
      created_at: at(minutes),
      updated_at: at(minutes),
      authorized_at: status === 'active' ? at(minutes) : null,
      ...extra,
    });
    await knex()('osteocom_entitlements').insert([
      // Active first, then a retry Osteocom refused: the customer paid and has access upstream.
      row('paying', 'active', 1),
      row('paying', 'failed', 5, { last_error: 'refused by a retry' }),
      row('twice', 'active', 1),
      row('twice', 'active', 2),
      // Active, then refunded: the newest intent (the refund) wins.
      row('refunded', 'active', 1),
      row('refunded', 'revoked', 6, { revoked_at: at(6) }),
      // A purchase 0.1.0's outbox had not sent yet.
      row('waiting', 'pending', 7, { pending_operation: 'authorize', next_attempt_at: at(7) }),
    ]);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = createSandbox({ catalog });
    await sandbox.listen();
    app = await boot();
    admin = (await createAdmin(app, 'super')).token;
    expect((await asAdmin('post', '/osteocom/sync?wait=true')).body.data.status).toBe('succeeded');
    // What Osteocom knows after 0.1.0 sold these: three active customers.
    for (const userId of ['paying', 'twice', 'refunded']) {
      const res = await asAdmin('post', '/osteocom/authorizations').send({ userId, products: [{ productId: channel }] });
      expect([userId, res.body.data.state]).toEqual([userId, 'active']);
    }
    apiToken = await createApiToken(app, 'custom', ['plugin::osteocom.video-token.create']);
    await reshapeAs010();
    await insert010();
    await app.close();
    messages.length = 0;
    app = await boot();
  });

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await database?.drop();
  });

  it('keeps the active row when a newer duplicate failed, and flags it for a check', async () => {
    expect((await entitlement('paying')).map((row) => [row.status, Boolean(row.needs_reconciliation)])).toEqual([['active', true]]);
    expect((await entitlement('twice')).map((row) => [row.status, Boolean(row.needs_reconciliation)])).toEqual([['active', true]]);
  });

  it('lets the newest intent win otherwise: a refund after the purchase stays a refund', async () => {
    expect((await entitlement('refunded')).map((row) => [row.status, Boolean(row.needs_reconciliation)])).toEqual([['revoked', true]]);
  });

  it('lists the merged accesses under Needs attention', async () => {
    const res = await asAdmin('get', '/osteocom/entitlements?attention=true');
    expect(res.status).toBe(200);
    const listed = (res.body.data as { userId: string }[]).map((row) => row.userId);
    expect(listed).toEqual(expect.arrayContaining(['paying', 'twice', 'refunded']));
  });

  it('merges the customer rows, keeping the access key 0.1.0 stored, still in v1', async () => {
    const rows = await knex()('osteocom_customers').where({ user_id: 'paying' });
    expect(rows).toEqual([expect.objectContaining({ email: 'paying@example.com', access_key: expect.stringMatching(/^v1:/) })]);
  });

  it('loses no access: the active customers get video tokens', async () => {
    for (const userId of ['paying', 'twice']) {
      const res = await token(userId);
      expect([userId, res.status]).toEqual([userId, 200]);
      expect(sandbox.verifyVideoToken(res.body.data.token)).toMatchObject({ userId, videoId: video });
    }
  });

  it('sends the pending purchase 0.1.0 left, and the customer gets access', async () => {
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    await waitFor('the pending purchase to be active', async () => (await entitlement('waiting'))[0]?.status === 'active');
    expect((await token('waiting')).status).toBe(200);
  });

  it('says what it did, with the figures in the message', () => {
    expect(logged('merged duplicate rows')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/table osteocom_customers, index \S+, keys 1, rows removed 1$/),
        expect.stringMatching(
          /table osteocom_entitlements, index \S+, keys 3, rows removed 3, active kept over a newer failed row 1, flagged for a check 3 \(under Needs attention\)$/
        ),
      ])
    );
    expect(logged('entitlements from an earlier version queued')).toEqual([expect.stringMatching(/^\[osteocom\] 1 entitlements/)]);
    expect(logged('key rotation not started')).toEqual([expect.stringMatching(/: 3 stored secrets are in an older format/)]);
    expect(messages.join('\n')).not.toMatch(/paying@example\.com|waiting@example\.com/);
  });

  it('leaves the v1 access keys as they are until the operator confirms, then moves them', async () => {
    const v1Keys = async () => (await knex()('osteocom_customers').where('access_key', 'like', 'v1:%')).length;
    expect(await v1Keys()).toBe(3);
    await app.close();
    app = await boot({ keyRotation: { upgradeLegacy: true } });
    await waitFor('the v1 access keys to be re-encrypted', async () => (await v1Keys()) === 0);
    expect((await token('paying')).status).toBe(200);
  });
});
