/**
 * Issue 26, reminders with several servers: two playground server processes on one database
 * (TEST_DATABASE: postgres by default) both run the reminder pass every second, at the same
 * wall-clock ticks (Strapi's cron runs on every server; the pass takes no lease). Turning reminders
 * on with 40 accesses ending soon makes both passes find the same rows at once: the claim on
 * `remindedFor` lets exactly one server remind each access — one email each, recorded by the test
 * provider (tests/helpers/email-recorder) into one file both processes append to.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createSandbox, generateCatalog, type Sandbox } from '../../sandbox/src';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../helpers/database';
import { connectTo } from '../helpers/db-inspect';
import { createMailbox } from '../helpers/emails';
import { ROOT_DIR } from '../helpers/paths';
import { waitFor } from '../helpers/wait';
import { startServer, stopServer, type Server } from './servers';

jest.setTimeout(180_000);

const ADMIN = { email: 'admin@osteocom.test', password: 'Osteocom-Playground-1' };
const ACCESSES = 40;
const PLUGIN_CONFIG = {
  sync: { onStartup: false, enabled: false },
  outbox: { cron: '0 0 1 1 *' },
  reminders: { cron: '* * * * * *' },
};

describe('reminders with two servers', () => {
  let sandbox: Sandbox;
  let database: TestDatabase;
  let knex: Knex;
  let admin: Record<string, string>;
  const mailbox = createMailbox();
  const servers: Server[] = [];
  const call = (server: Server, method: string, route: string, body: object, headers: Record<string, string> = admin) =>
    fetch(`${server.base}${route}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  /** What each server logged as reminded: the figure of each "sent N expiring reminders" line. */
  const remindedBy = (server: Server) =>
    server.output.map((line) => /sent (\d+) expiring reminders/.exec(line)).reduce((sum, match) => sum + (match ? Number(match[1]) : 0), 0);

  beforeAll(async () => {
    sandbox = createSandbox({ catalog: generateCatalog({ channels: 1, videosPerChannel: 1 }) });
    await sandbox.listen();
    database = await createTestDatabase((process.env.TEST_DATABASE as TestDatabaseKind | undefined) ?? 'postgres');
    knex = connectTo(database);
    const options = { database, sandbox, pluginConfig: PLUGIN_CONFIG, started: servers, env: mailbox.env };
    await startServer('A', options);
    await startServer('B', options);
    const login = await call(servers[0], 'POST', '/admin/login', ADMIN, {});
    expect(login.status).toBe(200);
    admin = { Authorization: `Bearer ${((await login.json()) as { data: { token: string } }).data.token}` };
    expect((await call(servers[0], 'POST', '/osteocom/sync?wait=true', {})).status).toBe(200);
  });

  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
    fs.mkdirSync(path.join(ROOT_DIR, 'test-results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT_DIR, 'test-results', 'cluster-reminders.log'), `${servers.flatMap((server) => server.output).join('\n')}\n`);
    await sandbox?.close();
    await knex?.destroy();
    await database?.drop();
    mailbox.remove();
  });

  it('both servers run the pass at once: each of 40 accesses is reminded exactly once', async () => {
    const productId = sandbox.catalog[0].idChannel;
    // Off while the accesses are recorded, so the first pass that sees them runs on both servers at the same tick.
    expect((await call(servers[0], 'PUT', '/osteocom/settings', { reminderDays: 0 })).status).toBe(200);
    const users = Array.from({ length: ACCESSES }, (_, index) => `cluster-remind-${index}`);
    for (const userId of users) {
      const res = await call(servers[0], 'POST', '/osteocom/authorizations', { userId, email: `${userId}@example.com`, products: [{ productId, accessUntil: inDays(2) }] });
      expect(res.status).toBe(200);
    }
    expect((await call(servers[1], 'PUT', '/osteocom/settings', { reminderDays: 7 })).status).toBe(200);

    await waitFor('every access reminded', async () => (await knex('osteocom_entitlements').whereIn('customer_key', users).where('reminder_outcome', 'sent').count({ n: '*' }))[0].n == ACCESSES, {
      timeoutMs: 60_000,
      intervalMs: 100,
    });
    // A later access reminded proves that more passes ran on both servers after the 40 were claimed.
    const sentinel = 'cluster-remind-sentinel';
    expect((await call(servers[1], 'POST', '/osteocom/authorizations', { userId: sentinel, email: `${sentinel}@example.com`, products: [{ productId, accessUntil: inDays(3) }] })).status).toBe(200);
    await waitFor('the sentinel reminded', async () => (await knex('osteocom_entitlements').where({ customer_key: sentinel }).first())?.reminder_outcome === 'sent', { timeoutMs: 60_000, intervalMs: 100 });

    const mails = mailbox.read();
    expect(mails.filter((mail) => mail.to !== `${sentinel}@example.com`).map((mail) => mail.to).sort()).toEqual(users.map((userId) => `${userId}@example.com`).sort());
    expect(mails).toHaveLength(ACCESSES + 1);
    // Each pass logs its figure after its rows are marked sent: wait for the lines, then count them.
    await waitFor('every reminder logged', () => remindedBy(servers[0]) + remindedBy(servers[1]) >= ACCESSES + 1, { timeoutMs: 30_000, intervalMs: 100 });
    expect(remindedBy(servers[0]) + remindedBy(servers[1])).toBe(ACCESSES + 1);
    const rows = await knex('osteocom_entitlements').whereIn('customer_key', users).select('access_until', 'reminded_for');
    expect(rows.every((row) => String(row.reminded_for) === String(row.access_until))).toBe(true);
    // The split between the servers, for the record (either may win any row).
    process.stdout.write(`reminders: server A ${remindedBy(servers[0])}, server B ${remindedBy(servers[1])}, emails by pid ${JSON.stringify(mails.reduce<Record<number, number>>((by, mail) => ({ ...by, [mail.pid]: (by[mail.pid] ?? 0) + 1 }), {}))}\n`);
  });
});
