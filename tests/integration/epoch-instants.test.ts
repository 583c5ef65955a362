/**
 * Issue "Production money path", finding 3: the plugin's instants are epoch milliseconds. A
 * database left by an earlier version — `datetime` columns holding wall times of the zone of the
 * server that wrote them, indexes on them — is converted at the next start, every value kept as
 * the same instant; a second start converts nothing. Run on SQLite, PostgreSQL and MySQL
 * (TEST_DATABASE). The old rows are written, and the upgrade boots, in TZ=Pacific/Kiritimati
 * (UTC+14), so a conversion that ignored the writer's zone would be 14 h off.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { captureLogs } from '../helpers/capture';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTo } from '../helpers/db-inspect';
import { startTestApp } from '../helpers/test-app';

const ZONE = 'Pacific/Kiritimati';

/** The old `datetime` columns, as Strapi made them for an earlier version's schema. */
const OLD_COLUMNS: Record<string, string[]> = {
  osteocom_entitlements: ['operation_at', 'doubt_until', 'next_attempt_at', 'authorized_at', 'revoked_at', 'access_until', 'alerted_at'],
  osteocom_customers: ['erased_at'],
  osteocom_sync_runs: ['started_at', 'finished_at'],
};
const OLD_INDEXES = [
  { table: 'osteocom_entitlements', name: 'osteocom_entitlements_outbox_idx', columns: ['pending_operation', 'next_attempt_at'] },
  { table: 'osteocom_entitlements', name: 'osteocom_entitlements_expiry_idx', columns: ['access_until'] },
];

const at = (iso: string) => new Date(iso);
const ACTIVE = { authorized_at: at('2026-03-01T08:00:00.123Z'), access_until: at('2027-01-31T23:59:59.000Z') };
const PENDING = { operation_at: at('2026-12-05T22:30:00.000Z'), next_attempt_at: at('2026-12-05T22:33:00.000Z'), doubt_until: at('2026-12-05T22:32:00.000Z'), alerted_at: at('2026-12-06T04:30:00.000Z') };
const REVOKED = { authorized_at: at('2025-06-15T12:00:00.000Z'), revoked_at: at('2026-01-01T00:00:00.000Z') };

/** Puts the schema back as an earlier version had it: `datetime` columns (Strapi's: no zone), the indexes on them, no record of the new schema. */
const toEarlierSchema = async (knex: Knex) => {
  for (const [table, columns] of Object.entries(OLD_COLUMNS)) {
    for (const index of OLD_INDEXES.filter((candidate) => candidate.table === table)) await knex.schema.alterTable(table, (builder) => builder.dropIndex([], index.name));
    await knex.schema.alterTable(table, (builder) => builder.dropColumns(...columns));
    await knex.schema.alterTable(table, (builder) => columns.forEach((column) => builder.datetime(column, { useTz: false, precision: 6 })));
    for (const index of OLD_INDEXES.filter((candidate) => candidate.table === table)) await knex.schema.alterTable(table, (builder) => builder.index(index.columns, index.name));
  }
  // Strapi then syncs as after an upgrade: its stored schema is not the one it loads.
  await knex('strapi_database_schema').delete();
};

/** Rows as the earlier version wrote them: the driver sends each Date as this process's wall time. */
const writeEarlierRows = async (knex: Knex) => {
  const common = (key: string) => ({ document_id: `doc${key}`, customer_key: 'old-user', channel_key: key, entitlement_key: `old-user::${key}`, created_at: new Date(), updated_at: new Date() });
  await knex('osteocom_entitlements').insert([
    { ...common('active'), status: 'active', ...ACTIVE },
    { ...common('pending'), status: 'pending', pending_operation: 'authorize', operation_id: 'op-1', ...PENDING },
    { ...common('revoked'), status: 'revoked', ...REVOKED },
    { ...common('forever'), status: 'active' },
  ]);
  await knex('osteocom_customers').insert([
    { document_id: 'erased', user_id: 'old-user', erased_at: at('2026-11-30T10:00:00.000Z'), created_at: new Date(), updated_at: new Date() },
    { document_id: 'kept', user_id: 'other-user', email: 'kept@example.com', created_at: new Date(), updated_at: new Date() },
  ]);
  await knex('osteocom_sync_runs').insert({ document_id: 'run', trigger: 'manual', status: 'succeeded', started_at: at('2026-12-01T02:00:00.000Z'), finished_at: at('2026-12-01T02:00:04.500Z'), created_at: new Date(), updated_at: new Date() });
};

describe('instants of an earlier version become epoch milliseconds', () => {
  let database: TestDatabase;
  const zone = process.env.TZ;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The first boot makes the current schema, which the test then turns back into the old one.
    await (await startTestApp({ database })).close();
  });
  afterAll(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await database?.drop();
  });

  const boot = async () => {
    let logs: ReturnType<typeof captureLogs> | undefined;
    const app = await startTestApp({ database, env: { TZ: ZONE }, beforeLoad: (strapi: Core.Strapi) => (logs = captureLogs(strapi.log)) });
    return { app, converted: logs!.lines.filter((line) => line.text.includes('to epoch milliseconds')).map((line) => line.text) };
  };

  it('converts every value to the instant the writing server meant, keeps the rows and indexes, and converts nothing on the next start', async () => {
    process.env.TZ = ZONE;
    const knex = connectTo(database);
    try {
      await toEarlierSchema(knex);
      await writeEarlierRows(knex);
    } finally {
      await knex.destroy();
    }

    const { app, converted } = await boot();
    try {
      expect(converted).toEqual([
        expect.stringContaining('converted 3 rows of table osteocom_entitlements to epoch milliseconds'),
        expect.stringContaining('converted 1 rows of table osteocom_customers to epoch milliseconds'),
        expect.stringContaining('converted 1 rows of table osteocom_sync_runs to epoch milliseconds'),
      ]);
      const iso = (values: Record<string, Date>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key.replace(/_(.)/g, (_, c: string) => c.toUpperCase()), value.toISOString()]));
      const rows = await app.strapi.db.query('plugin::osteocom.entitlement').findMany({ orderBy: { id: 'asc' } });
      expect(rows).toHaveLength(4);
      expect(rows[0]).toMatchObject({ channelKey: 'active', ...iso(ACTIVE), revokedAt: null, operationAt: null });
      expect(rows[1]).toMatchObject({ channelKey: 'pending', pendingOperation: 'authorize', ...iso(PENDING) });
      expect(rows[2]).toMatchObject({ channelKey: 'revoked', ...iso(REVOKED), accessUntil: null });
      expect(rows[3]).toMatchObject({ channelKey: 'forever', authorizedAt: null, accessUntil: null });
      expect(await app.strapi.db.query('plugin::osteocom.customer').findMany({ orderBy: { id: 'asc' } })).toMatchObject([
        { userId: 'old-user', erasedAt: '2026-11-30T10:00:00.000Z' },
        { userId: 'other-user', email: 'kept@example.com', erasedAt: null },
      ]);
      expect(await app.strapi.db.query('plugin::osteocom.sync-run').findMany({})).toMatchObject([{ startedAt: '2026-12-01T02:00:00.000Z', finishedAt: '2026-12-01T02:00:04.500Z' }]);
      // The expiry pass and the outbox compare numbers now: only the access that ended is due.
      expect((await app.strapi.db.query('plugin::osteocom.entitlement').findMany({ where: { accessUntil: { $lte: new Date('2027-02-01T00:00:00Z') } } })).map((row) => row.channelKey)).toEqual(['active']);
      const indexes = (await app.strapi.db.dialect.schemaInspector.getIndexes('osteocom_entitlements')) as { name: string; columns: string[] }[];
      for (const index of OLD_INDEXES) expect(indexes).toContainEqual(expect.objectContaining({ name: index.name, columns: index.columns }));
    } finally {
      await app.close();
    }

    const again = await boot();
    await again.app.close();
    expect(again.converted).toEqual([]);
  });
});
