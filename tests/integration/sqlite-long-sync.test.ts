/**
 * Issue 23, "SQLite under a long sync": SQLite has one write lock, and a sync writes its run in one
 * transaction (readers see the catalog before it or after it, never part of it). A purchase that
 * arrives meanwhile waits for the lock and succeeds: in this process in knex's pool, in another
 * process (a second server on the same file) in SQLite's busy handler, up to the same bound — not
 * better-sqlite3's 5 s default, which a large catalog's first sync exceeds.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { captureLogs } from '../helpers/capture';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const small = generateCatalog({ channels: 3, videosPerChannel: 2, seed: 'before-the-large-sync' });
const [A] = small.map((channel) => channel.idChannel);
const BUSY_TIMEOUT_MS = 30_000;

describe('SQLite under a long sync: writes wait for the write lock, up to one bound, and succeed', () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const buy = (userId: string) => app.http.post('/osteocom/authorizations').set(auth()).send({ userId, products: [{ productId: A }] });
  const sync = () => app.http.post('/osteocom/sync?wait=true').set(auth());
  const availableChannels = async () => (await app.http.get('/api/osteocom/channels?pagination[pageSize]=1')).body.meta.pagination.total as number;

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog: small }, pluginConfig: { sync: { sqliteBusyTimeoutMs: BUSY_TIMEOUT_MS } } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await sync()).body.data.status).toBe('succeeded');
  });
  afterAll(() => app.close());

  // A second process's wait (its busy timeout) is the one thing SQLite decides: set, and not better-sqlite3's 5 s.
  it('sets the configured busy timeout on the connection', async () => {
    const rows = (await app.strapi.db.connection.raw('PRAGMA busy_timeout')) as { timeout: number }[];
    expect(rows[0].timeout).toBe(BUSY_TIMEOUT_MS);
  });

  it('purchases during a large first sync all succeed; readers see the catalog before or after it, never part of it; the lock hold is logged', async () => {
    const large = generateCatalog({ channels: 600, videosPerChannel: 50, seed: 'large-first-sync' });
    app.sandbox.setCatalog([...small, ...large]);
    const logs = captureLogs(app.strapi.log);
    const seen = new Set<number>();
    const purchases: number[] = [];
    let done = false;
    try {
      const running = sync().then((res) => {
        done = true;
        return res;
      });
      const reading = (async () => {
        while (!done) seen.add(await availableChannels());
      })();
      const buying = (async () => {
        for (let i = 0; !done; i += 1) purchases.push((await buy(`buyer-during-sync-${i}`)).status);
      })();
      const run = await running;
      await Promise.all([reading, buying]);
      expect(run.body.data).toMatchObject({ status: 'succeeded', created: 600 + 600 * 50 });
    } finally {
      logs.restore();
    }
    expect(purchases.length).toBeGreaterThan(0);
    expect(purchases.filter((status) => status !== 200)).toEqual([]);
    expect([...seen].every((total) => total === small.length || total === small.length + 600)).toBe(true);
    expect(await availableChannels()).toBe(small.length + 600);
    const hold = await waitFor('the lock hold in the log', () => logs.lines.find((line) => line.text.includes('held the SQLite write lock')));
    expect(hold.text).toMatch(/held the SQLite write lock for \d+ ms \(other writes wait up to 30000 ms\)/);
  });
});
