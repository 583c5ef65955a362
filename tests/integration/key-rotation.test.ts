/**
 * Key rotation (issue 16): with a new key listed before the old one, the re-encryption pass moves
 * every stored secret (customers' access keys, the client secret typed in the settings) to the new
 * key — in batches, resumable after a stop, under the cluster lease — tokens are issued throughout,
 * and once it is done the old key can be dropped. A secret on a key no longer listed is a clear
 * error naming the key id.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { createSandbox, generateCatalog, type Sandbox } from '../../sandbox/src';
import cryptoService from '../../server/src/services/keys/crypto';
import { createAdmin, createApiToken } from '../helpers/auth';
import { captureLogs, type CapturedLog } from '../helpers/capture';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 2 });
const channel = catalog[0];
const video = channel.video[0].videoId;
/** Tokens are cached per customer and video in each server: a video not asked for yet makes the plugin decrypt. */
const otherVideo = channel.video[1].videoId;

const OLD_KEY = `old-rotation-key-${randomBytes(8).toString('hex')}`;
/** The documented id of a key listed without one: 8 hex digits of its HMAC under a fixed label. */
const OLD_ID = createHmac('sha256', 'strapi-plugin-osteocom key id').update(OLD_KEY).digest('hex').slice(0, 8);
/** The id the same key had before ids were labelled: 8 hex digits of its SHA-256, i.e. of its AES key. */
const OLD_STYLE_ID = createHash('sha256').update(OLD_KEY).digest('hex').slice(0, 8);
const NEW_MATERIAL = `new-rotation-key-${randomBytes(8).toString('hex')}`;
const NEW_ID = 'k2026';
const NEW_KEY = `${NEW_ID}:${NEW_MATERIAL}`;
const BOTH = `${NEW_KEY},${OLD_KEY}`;
const BATCH = 2;
const CUSTOMERS = ['cust-1', 'cust-2', 'cust-3', 'cust-4', 'cust-5', 'cust-6', 'cust-7'];
/** Its access key is stored as 0.1.0 wrote it: v1, without a key id. */
const LEGACY_CUSTOMER = 'cust-7';
/** Its access key is stored as a server before labelled ids wrote it: v2 naming the old-style id. */
const OLD_STYLE_CUSTOMER = 'cust-6';

/** `v1:iv:tag:body` as 0.1.0 wrote it: AES-256-GCM with the SHA-256 of the configured key. */
const v1Ciphertext = (key: string, plaintext: string) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(key).digest(), iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join(':');
};

/** `v2:<old-style id>:iv:tag:body`: the same AES key, the header as it was written authenticated. */
const oldStyleCiphertext = (key: string, plaintext: string) => {
  const header = `v2:${OLD_STYLE_ID}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(key).digest(), iv);
  cipher.setAAD(Buffer.from(header));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [header, ...[iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'))].join(':');
};

/** A ciphertext written by a server with only `key` configured, or (undefined) only the app's encryption key. */
const encryptedWith = (key: string | undefined, plaintext: string, appKey?: string) =>
  cryptoService({ strapi: { plugin: () => ({ config: () => key }), config: { get: () => appKey } } as never }).encrypt(plaintext);

describe('encryption key rotation', () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let app: TestApp | undefined;
  let admin: string;
  let apiToken: string;

  const boot = async (keys: string, beforeLoad?: (strapi: Core.Strapi) => void) => {
    app = await startTestApp({
      database,
      existingSandbox: sandbox,
      // The client secret is typed in the settings, so it is stored encrypted too.
      env: { OSTEOCOM_ENCRYPTION_KEY: keys, OSTEOCOM_CLIENT_SECRET: undefined },
      pluginConfig: { keyRotation: { batchSize: BATCH } },
      beforeLoad,
    });
    return app;
  };

  const restart = async (keys: string, beforeLoad?: (strapi: Core.Strapi) => void) => {
    await app?.close();
    app = undefined;
    return boot(keys, beforeLoad);
  };

  const asAdmin = (method: 'get' | 'post' | 'put', url: string) => app!.http[method](url).set('Authorization', `Bearer ${admin}`);

  const rawAccessKeys = async () =>
    Object.fromEntries(
      ((await app!.strapi.db.connection('osteocom_customers').select('user_id', 'access_key').orderBy('id')) as { user_id: string; access_key: string }[]).map(
        (row) => [row.user_id, row.access_key]
      )
    );

  const rawClientSecret = async () => {
    const row = await app!.strapi.db.connection('strapi_core_store_settings').where({ key: 'plugin_osteocom_settings' }).first();
    return (JSON.parse(row.value) as { clientSecretEncrypted: string }).clientSecretEncrypted;
  };

  const onKey = (rows: Record<string, string>, keyId: string) => Object.keys(rows).filter((userId) => rows[userId].startsWith(`v2:${keyId}:`)).sort();

  const token = (userId: string, videoId = video) =>
    app!.http.post('/api/osteocom/video-token').set('Authorization', `Bearer ${apiToken}`).send({ videoId, userId });

  const expectTokens = async (userIds: string[], videoId = video) => {
    for (const userId of userIds) {
      const res = await token(userId, videoId);
      expect([userId, res.status]).toEqual([userId, 200]);
      expect(sandbox.verifyVideoToken(res.body.data.token)).toMatchObject({ userId, videoId });
    }
  };

  const status = async () => {
    const res = await asAdmin('get', '/osteocom/encryption');
    expect(res.status).toBe(200);
    return res.body.data;
  };

  const passEnded = (wanted: string) => waitFor(`a pass that ended ${wanted}`, async () => {
    const current = await status();
    return !current.running && current.lastPass?.status === wanted && current;
  });

  const secrets = () => [sandbox.clientSecret, OLD_KEY, NEW_MATERIAL, ...CUSTOMERS.map((userId) => sandbox.customer(userId)!.accessKey)];
  const leaks = (lines: CapturedLog[]) => lines.filter((line) => secrets().some((secret) => line.text.includes(secret)));

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = createSandbox({ catalog, clientSecret: `sandbox-secret-${randomBytes(8).toString('hex')}` });
    await sandbox.listen();
    await boot(OLD_KEY);
    admin = (await createAdmin(app!, 'super')).token;
    expect((await asAdmin('put', '/osteocom/settings').send({ clientSecret: sandbox.clientSecret })).status).toBe(200);
    expect((await asAdmin('post', '/osteocom/sync?wait=true')).body.data.status).toBe('succeeded');
    for (const userId of CUSTOMERS) {
      const res = await asAdmin('post', '/osteocom/authorizations').send({ userId, products: [{ productId: channel.idChannel }] });
      expect(res.body.data.state).toBe('active');
    }
    await app!.strapi.db
      .connection('osteocom_customers')
      .where({ user_id: LEGACY_CUSTOMER })
      .update({ access_key: v1Ciphertext(OLD_KEY, sandbox.customer(LEGACY_CUSTOMER)!.accessKey) });
    await app!.strapi.db
      .connection('osteocom_customers')
      .where({ user_id: OLD_STYLE_CUSTOMER })
      .update({ access_key: oldStyleCiphertext(OLD_KEY, sandbox.customer(OLD_STYLE_CUSTOMER)!.accessKey) });
    apiToken = await createApiToken(app!, 'custom', ['plugin::osteocom.video-token.create']);
  });

  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await database?.drop();
  });

  it('starts with every secret on the old key (one access key still in v1, one on its old-style id) and tokens issued', async () => {
    const rows = await rawAccessKeys();
    expect(onKey(rows, OLD_ID)).toEqual(CUSTOMERS.filter((userId) => userId !== LEGACY_CUSTOMER && userId !== OLD_STYLE_CUSTOMER));
    expect(onKey(rows, OLD_STYLE_ID)).toEqual([OLD_STYLE_CUSTOMER]);
    expect(rows[LEGACY_CUSTOMER]).toMatch(/^v1:/);
    expect(await rawClientSecret()).toMatch(new RegExp(`^v2:${OLD_ID}:`));
    const current = await status();
    expect(current).toMatchObject({
      newestKeyId: OLD_ID,
      keys: [{ id: OLD_ID, newest: true, rows: 6 }, { source: 'app' }],
      // The row on the old-style id is on the newest key's material, but still to be moved to its id.
      rows: { total: 7, onNewestKey: 5, remaining: 2, legacy: 1, unlisted: 0 },
      clientSecret: 'newest',
      running: false,
      lastPass: null,
    });
    expect(JSON.stringify(current)).not.toContain(OLD_STYLE_ID);
    await expectTokens(['cust-1', OLD_STYLE_CUSTOMER, LEGACY_CUSTOMER]);
  });

  it('a pass stopped after its first batch has moved that batch only, and both keys are read meanwhile', async () => {
    let stopRequested = false;
    await restart(BOTH, (strapi) => {
      const debug = strapi.log.debug.bind(strapi.log);
      strapi.log.debug = ((message: string, ...rest: unknown[]) => {
        // The server is told to stop as soon as the first batch has committed.
        if (!stopRequested && message.includes('key rotation batch')) {
          stopRequested = true;
          void strapi.plugin('osteocom').service('key-rotation').shutdown(0);
        }
        return debug(message, ...rest);
      }) as typeof strapi.log.debug;
    });
    const stopped = await passEnded('stopped');
    expect(stopped).toMatchObject({
      newestKeyId: NEW_ID,
      rows: { total: 7, onNewestKey: BATCH, remaining: 7 - BATCH },
      clientSecret: 'newest',
      lastPass: { trigger: 'startup', moved: 1 + BATCH, failed: 0 },
    });
    const rows = await rawAccessKeys();
    expect(onKey(rows, NEW_ID)).toEqual(['cust-1', 'cust-2']);
    expect(onKey(rows, OLD_ID)).toEqual(['cust-3', 'cust-4', 'cust-5']);
    expect(onKey(rows, OLD_STYLE_ID)).toEqual([OLD_STYLE_CUSTOMER]);
    expect(await rawClientSecret()).toMatch(new RegExp(`^v2:${NEW_ID}:`));
    await expectTokens(['cust-1', 'cust-3', LEGACY_CUSTOMER]);
  });

  it('a restart continues where rows are still on the old key and moves every one, logging counts only', async () => {
    let logs: ReturnType<typeof captureLogs> | undefined;
    await restart(BOTH, (strapi) => {
      logs = captureLogs(strapi.log);
    });
    const finished = await passEnded('finished');
    expect(finished).toMatchObject({
      rows: { total: 7, onNewestKey: 7, remaining: 0, legacy: 0, unlisted: 0 },
      keys: [
        { id: NEW_ID, newest: true, source: 'config', rows: 7 },
        { id: OLD_ID, newest: false, source: 'config', rows: 0 },
        { id: expect.stringMatching(/^app-[0-9a-f]{8}$/), newest: false, source: 'app', rows: 0 },
      ],
      lastPass: { trigger: 'startup', moved: 7 - BATCH, skipped: 0, failed: 0, failures: [] },
    });
    expect(onKey(await rawAccessKeys(), NEW_ID)).toEqual(CUSTOMERS);
    // The pass logs its end after it saves its record (what passEnded waits for): wait for the line itself.
    const ended = () => logs!.lines.filter((line) => line.level !== 'log' && line.text.includes('key rotation ended'));
    await waitFor('the end of the pass in the log', () => ended().length > 0);
    expect(ended()).toEqual([{ level: 'info', text: expect.stringMatching(/key rotation ended: finished, .*moved 5, skipped 0, failed 0/) }]);
    expect(leaks(logs!.lines)).toEqual([]);
    await expectTokens(['cust-3', LEGACY_CUSTOMER]);
  });

  it('then the old key can be dropped: every token, the stored client secret and new purchases still work', async () => {
    await restart(NEW_KEY);
    expect(await status()).toMatchObject({ rows: { total: 7, remaining: 0 }, clientSecret: 'newest', running: false, lastPass: { status: 'finished' } });
    await expectTokens(CUSTOMERS);
    expect((await asAdmin('post', '/osteocom/settings/test-connection')).body.data.ok).toBe(true);
    const res = await asAdmin('post', '/osteocom/authorizations').send({ userId: 'cust-8', products: [{ productId: channel.idChannel }] });
    expect(res.body.data.state).toBe('active');
    expect((await rawAccessKeys())['cust-8']).toMatch(new RegExp(`^v2:${NEW_ID}:`));
  });

  it('a secret on a key no longer listed, or one that does not open, is a 503 with its code (the key id only in the log), never null', async () => {
    const logs = captureLogs(app!.strapi.log);
    try {
      const connection = app!.strapi.db.connection('osteocom_customers');
      await connection.clone().where({ user_id: 'cust-2' }).update({ access_key: encryptedWith(OLD_KEY, sandbox.customer('cust-2')!.accessKey) });
      const [v, id, iv, tag, body] = (await rawAccessKeys())['cust-3'].split(':');
      await connection.clone().where({ user_id: 'cust-3' }).update({ access_key: [v, id, iv, tag, `AAAA${body}`].join(':') });
      const upstreamBefore = sandbox.count('videoAccess');

      const missing = await token('cust-2', otherVideo);
      expect(missing.status).toBe(503);
      // The caller learns the code, never the key id (an old-style id carries bits of its key).
      expect(missing.body.error.details).toEqual({ code: 'ENCRYPTION_KEY_MISSING' });
      expect(missing.text).not.toContain(OLD_ID);
      const failed = await token('cust-3', otherVideo);
      expect(failed.status).toBe(503);
      expect(failed.body.error.details).toEqual({ code: 'DECRYPTION_FAILED' });
      expect(failed.text).not.toContain(NEW_ID);
      expect(sandbox.count('videoAccess')).toBe(upstreamBefore);

      // (winston's level methods go through `log`, which the capture sees too)
      const logged = logs.lines.filter((line) => line.level !== 'log' && line.text.includes('access key cannot be decrypted'));
      expect(logged.map((line) => line.level)).toEqual(['error', 'error']);
      expect(logged[0].text).toContain(OLD_ID);
      expect(leaks(logs.lines)).toEqual([]);

      expect(await status()).toMatchObject({ rows: { total: 8, onNewestKey: 7, remaining: 1, unlisted: 1 } });
      // The pass counts what it cannot read, names the key, and leaves the row as it is.
      const before = (await rawAccessKeys())['cust-2'];
      expect((await asAdmin('post', '/osteocom/encryption/rotate')).status).toBe(202);
      expect(await passEnded('finished')).toMatchObject({
        lastPass: { trigger: 'manual', moved: 0, failed: 1, failures: [{ keyId: OLD_ID, code: 'ENCRYPTION_KEY_MISSING', count: 1 }] },
      });
      expect((await rawAccessKeys())['cust-2']).toBe(before);
      const [{ n: audited }] = await app!.strapi.db.connection('osteocom_audit_events').where({ action: 'key-rotation' }).count({ n: '*' });
      expect(Number(audited)).toBe(1);
    } finally {
      logs.restore();
    }
  });

  it('runs on one server at a time: while another holds the lease, a start is refused and nothing is written', async () => {
    // On the key derived from the app's encryption key, which stays readable: a pass would move it.
    const appKey = app!.strapi.config.get<string>('admin.secrets.encryptionKey');
    const fromApp = encryptedWith(undefined, sandbox.customer('cust-2')!.accessKey, appKey);
    await app!.strapi.db.connection('osteocom_customers').where({ user_id: 'cust-2' }).update({ access_key: fromApp });
    expect(await status()).toMatchObject({ rows: { remaining: 1, unlisted: 0 } });
    const before = await rawAccessKeys();
    const elsewhere = await app!.strapi.plugin('osteocom').service('lock').acquire('key-rotation', 60);
    try {
      const refused = await asAdmin('post', '/osteocom/encryption/rotate');
      expect(refused.status).toBe(409);
      expect(refused.body.error.details.code).toBe('KEY_ROTATION_ALREADY_RUNNING');
      await expect(app!.strapi.plugin('osteocom').service('key-rotation').start('manual')).rejects.toMatchObject({ code: 'KEY_ROTATION_ALREADY_RUNNING' });
      expect(await rawAccessKeys()).toEqual(before);
    } finally {
      await elsewhere.release();
    }
    expect((await asAdmin('post', '/osteocom/encryption/rotate')).status).toBe(202);
    expect(await passEnded('finished')).toMatchObject({ rows: { remaining: 0 }, lastPass: { moved: 1, failed: 0 } });
    expect((await rawAccessKeys())['cust-2']).toMatch(new RegExp(`^v2:${NEW_ID}:`));
    await expectTokens(['cust-2'], otherVideo);
  });
});
