/**
 * Real constraints (issue 13) and lookup indexes (issue 14): every index a schema.json declares
 * exists in the database, unique ones refuse a second row, they survive a restart and a new
 * schema sync, and a database that already holds duplicates (written before the indexes
 * existed) boots, is merged and ends with its unique indexes.
 */
import auditEvent from '../../server/src/content-types/audit-event/schema.json';
import channel from '../../server/src/content-types/channel/schema.json';
import customer from '../../server/src/content-types/customer/schema.json';
import entitlement from '../../server/src/content-types/entitlement/schema.json';
import lease from '../../server/src/content-types/lease/schema.json';
import syncRun from '../../server/src/content-types/sync-run/schema.json';
import video from '../../server/src/content-types/video/schema.json';
import accessCount from '../../server/src/content-types/access-count/schema.json';
import accessDay from '../../server/src/content-types/access-day/schema.json';
import accessEvent from '../../server/src/content-types/access-event/schema.json';
import { listIndexes } from '../helpers/db-catalog';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startTestApp, type TestApp } from '../helpers/test-app';

interface Declared {
  collectionName: string;
  indexes: { name: string; columns: string[]; type?: string }[];
}

const SCHEMAS = [auditEvent, channel, customer, entitlement, lease, syncRun, video, accessEvent, accessDay, accessCount] as Declared[];
const DECLARED = SCHEMAS.flatMap((schema) => schema.indexes.map((index) => ({ table: schema.collectionName, ...index })));
const UNIQUE = DECLARED.filter((index) => index.type === 'unique');

/** The unique keys the issues name, so a schema losing one fails here and not only in production. */
const REQUIRED_UNIQUE = [
  'osteocom_customers.user_id',
  'osteocom_entitlements.entitlement_key',
  'osteocom_leases.name',
  'osteocom_channels.id_channel',
  // Issue 25: a channel's URL name.
  'osteocom_channels.slug',
  'osteocom_videos.video_id',
  // Issue 26: one ledger event per entitlement write (and per backfilled purchase or end).
  'osteocom_access_events.event_key',
  // The report's tallies: one row a day, one per channel or customer (their upserts need the key).
  'osteocom_access_days.day',
  'osteocom_access_counts.count_key',
];

interface LinkTable {
  name: string;
  video: string;
  channel: string;
}

describe('database indexes', () => {
  let database: TestDatabase;
  let app: TestApp;
  let link: LinkTable;
  const warnings: { message: string; meta: unknown }[] = [];

  const knex = () => app.strapi.db.connection;

  const start = () =>
    startTestApp({
      database,
      beforeLoad: (strapi) => {
        const warn = strapi.log.warn.bind(strapi.log);
        strapi.log.warn = ((message: string, meta: unknown) => {
          warnings.push({ message, meta });
          return warn(message, meta);
        }) as typeof strapi.log.warn;
      },
    });

  /** The next boot runs Strapi's schema sync again, as after a plugin upgrade changed a schema. */
  const markSchemaChanged = () => knex()('strapi_database_schema').update({ hash: 'changed-by-an-upgrade' });

  const indexesOf = async (table: string) => listIndexes(knex(), database.kind, table);

  const expectDeclaredIndexes = async () => {
    for (const index of DECLARED) {
      expect({ table: index.table, index: (await indexesOf(index.table)).find((found) => found.name === index.name) }).toEqual({
        table: index.table,
        index: { name: index.name, unique: index.type === 'unique' },
      });
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await start();
    const joinTable = (app.strapi.db.metadata.get('plugin::osteocom.video').attributes.channel as unknown as {
      joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } };
    }).joinTable;
    link = { name: joinTable.name, video: joinTable.joinColumn.name, channel: joinTable.inverseJoinColumn.name };
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('declares the unique keys the money path relies on, with short names', () => {
    expect(UNIQUE.map((index) => `${index.table}.${index.columns.join(',')}`).sort()).toEqual([...REQUIRED_UNIQUE].sort());
    for (const index of DECLARED) expect(index.name.length).toBeLessThanOrEqual(63);
    expect(new Set(DECLARED.map((index) => index.name)).size).toBe(DECLARED.length);
  });

  it('creates every declared index, unique ones as unique', async () => {
    await expectDeclaredIndexes();
  });

  /** A value each key column takes: a number for the tallies' day, else a string. */
  const SAMPLE: Record<string, unknown> = { day: 1 };
  it.each(UNIQUE.map((index) => [`${index.table}.${index.columns.join(',')}`, index] as const))('refuses a second row with the same %s', async (_, index) => {
    const row = Object.fromEntries(index.columns.map((column) => [column, SAMPLE[column] ?? 'same-key']));
    await knex()(index.table).insert(row);
    // Not `.rejects.toThrow`: in a jest worker, better-sqlite3's error is not an Error of the test's realm.
    const refusal: unknown = await knex()(index.table).insert(row).then(() => 'inserted', (error: Error) => error.message);
    expect(refusal).toMatch(/unique|duplicate/i);
    await knex()(index.table).where(row).delete();
  });

  it('gives ten concurrent first acquisitions of a new lease one row and one holder', async () => {
    const lock = app.strapi.plugin('osteocom').service('lock');
    const leases = await Promise.all(Array.from({ length: 10 }, () => lock.acquire('first-deploy', 60)));
    expect(leases.filter(Boolean)).toHaveLength(1);
    expect(await knex()('osteocom_leases').where({ name: 'first-deploy' })).toHaveLength(1);
    await leases.find(Boolean).release();
    // The compare-and-set works on that row: released, it is taken again.
    const again = await lock.acquire('first-deploy', 60);
    expect(again).not.toBeNull();
    await again.release();
  });

  it('keeps every index across a restart that runs the schema sync again', async () => {
    await markSchemaChanged();
    await app.close();
    app = await start();
    await expectDeclaredIndexes();
  });

  describe('a database that already holds duplicates', () => {
    const T0 = new Date('2026-01-01T00:00:00Z').getTime();
    const at = (minutes: number) => new Date(T0 + minutes * 60_000);
    const ids: Record<string, number[]> = {};

    const insert = async (name: string, table: string, rows: Record<string, unknown>[]) => {
      ids[name] = [];
      for (const row of rows) {
        // MySQL has no RETURNING: its insert answers the new id itself.
        const query = knex()(table).insert(row);
        const [inserted] = await (database.kind === 'mysql' ? query : query.returning('id'));
        ids[name].push(Number(typeof inserted === 'object' ? inserted.id : inserted));
      }
    };

    beforeAll(async () => {
      // The state an older version could leave: no unique index, rows written twice by racing calls.
      for (const index of UNIQUE) await knex().schema.alterTable(index.table, (table) => table.dropUnique(index.columns, index.name));
      await knex()('osteocom_leases').delete();
      await insert('customers', 'osteocom_customers', [
        { user_id: 'dup-user', name: 'First', email: null, access_key: null, created_at: at(0) },
        { user_id: 'dup-user', name: 'Second', email: 'older@example.com', access_key: 'sealed-key', created_at: at(1) },
        { user_id: 'dup-user', surname: 'Last', email: 'newer@example.com', access_key: null, created_at: at(2) },
        { user_id: 'single-user', name: 'Alone', created_at: at(0) },
      ]);
      await insert('entitlements', 'osteocom_entitlements', [
        { entitlement_key: 'dup-user:ch-a', customer_key: 'dup-user', channel_key: 'ch-a', status: 'revoked', updated_at: at(5) },
        { entitlement_key: 'dup-user:ch-a', customer_key: 'dup-user', channel_key: 'ch-a', status: 'active', updated_at: at(3) },
        { entitlement_key: 'dup-user:ch-b', customer_key: 'dup-user', channel_key: 'ch-b', status: 'active', updated_at: at(3) },
        { entitlement_key: 'dup-user:ch-b', customer_key: 'dup-user', channel_key: 'ch-b', status: 'active', updated_at: at(4) },
      ]);
      await insert('leases', 'osteocom_leases', [
        { name: 'outbox', owner: 'server-a', expires_at: T0 },
        { name: 'outbox', owner: 'server-b', expires_at: T0 },
      ]);
      await insert('channels', 'osteocom_channels', [
        { id_channel: 'dup-channel', title: 'Kept', availability: 'available' },
        { id_channel: 'dup-channel', title: 'Removed', availability: 'available' },
      ]);
      await insert('videos', 'osteocom_videos', [
        { video_id: 'dup-video', title: 'Kept', availability: 'available', channel_key: 'dup-channel' },
        { video_id: 'dup-video', title: 'Removed', availability: 'available', channel_key: 'dup-channel' },
        { video_id: 'other-video', title: 'Linked to the removed channel', availability: 'available', channel_key: 'dup-channel' },
      ]);
      const [keptChannel, removedChannel] = ids.channels;
      const [, removedVideo, otherVideo] = ids.videos;
      await knex()(link.name).insert([
        { [link.video]: removedVideo, [link.channel]: keptChannel },
        { [link.video]: otherVideo, [link.channel]: removedChannel },
      ]);
      await markSchemaChanged();
      await app.close();
      warnings.length = 0;
      app = await start();
    });

    it('boots and ends with every declared index', async () => {
      await expectDeclaredIndexes();
    });

    it('keeps the oldest customer row, filled with the profile and access key only the newer rows had', async () => {
      const rows = await knex()('osteocom_customers').where({ user_id: 'dup-user' });
      expect(rows).toEqual([
        expect.objectContaining({ id: ids.customers[0], name: 'First', surname: 'Last', email: 'newer@example.com', access_key: 'sealed-key' }),
      ]);
      expect(await knex()('osteocom_customers').where({ user_id: 'single-user' })).toHaveLength(1);
    });

    it('keeps the most recently updated entitlement, every merged one flagged for a check', async () => {
      const rows = await knex()('osteocom_entitlements').where('customer_key', 'dup-user').orderBy('channel_key');
      expect(rows.map((row) => [row.id, row.status, Boolean(row.needs_reconciliation)])).toEqual([
        [ids.entitlements[0], 'revoked', true],
        [ids.entitlements[3], 'active', true],
      ]);
    });

    it('keeps one lease row per name, held by nobody', async () => {
      const rows = await knex()('osteocom_leases').where({ name: 'outbox' });
      expect(rows.map((row) => [row.id, row.owner, Number(row.expires_at)])).toEqual([[ids.leases[0], null, 0]]);
    });

    it('keeps the oldest channel and video, with the links of the removed ones moved to them', async () => {
      const [keptChannel] = ids.channels;
      const [keptVideo, , otherVideo] = ids.videos;
      expect((await knex()('osteocom_channels').where({ id_channel: 'dup-channel' })).map((row) => row.id)).toEqual([keptChannel]);
      expect((await knex()('osteocom_videos').where({ video_id: 'dup-video' })).map((row) => row.id)).toEqual([keptVideo]);
      const links = await knex()(link.name).whereIn(link.video, ids.videos).orderBy(link.video);
      expect(links.map((row) => [row[link.video], row[link.channel]])).toEqual([
        [keptVideo, keptChannel],
        [otherVideo, keptChannel],
      ]);
    });

    it('logs what it merged: table, keys and rows removed, never a name or an email', () => {
      const merged = warnings.filter((warning) => warning.message.includes('merged duplicate rows'));
      // Strapi's default format prints the message only: the figures are in it.
      expect(merged.map((warning) => warning.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/table osteocom_customers, index \S+, keys 1, rows removed 2$/),
          expect.stringMatching(/table osteocom_entitlements, index \S+, keys 2, rows removed 2, active kept over a newer failed row 0, flagged for a check 2 \(under Needs attention\)$/),
          expect.stringMatching(/table osteocom_leases, index \S+, keys 1, rows removed 1$/),
          expect.stringMatching(/table osteocom_channels, index \S+, keys 1, rows removed 1$/),
          expect.stringMatching(/table osteocom_videos, index \S+, keys 1, rows removed 1$/),
        ])
      );
      expect(merged).toHaveLength(5);
      expect(JSON.stringify(merged)).not.toMatch(/dup-user|example\.com|First|Last|sealed-key/);
    });

    it('merges nothing on the next boot: the database is clean', async () => {
      await markSchemaChanged();
      await app.close();
      warnings.length = 0;
      app = await start();
      expect(warnings.filter((warning) => warning.message.includes('merged duplicate rows'))).toEqual([]);
      await expectDeclaredIndexes();
    });
  });
});
