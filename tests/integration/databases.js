/**
 * Which integration files run on which database (read by jest.config.js and scripts/test.ts;
 * docs/TESTING.md explains the choice).
 *
 * Every file runs on SQLite. A file runs on PostgreSQL and MySQL too unless it is listed in
 * SQLITE_ONLY: there, what it asserts is decided before any SQL of the plugin runs (validation,
 * Strapi's authentication and RBAC, URL rules, reply and schema shapes), so a second or third
 * database would prove nothing more. A new file runs on all three until it is listed here.
 * `OSTEOCOM_TEST_EVERY_FILE=1` runs the listed files on PostgreSQL or MySQL anyway.
 */
const SQLITE_ONLY = {
  'bad-input.test.ts': 'input validation (zod at the edge) answers before any query; "no row written" is a count',
  'security.test.ts': 'routes × callers is Strapi auth + plugin policies, before any query; secret search in logs, replies and rows',
  'security-base-url.test.ts': 'base-URL rules of the settings (pure checks before a save or a call)',
  'graphql.test.ts': "GraphQL schema shape and resolvers' permissions (Strapi's GraphQL layer over the same services)",
  'foundation.test.ts': 'registration, RBAC actions, settings reply shape and validation',
  'mirrored-catalog.test.ts': 'Content Manager read-only rules for synced fields (refused before any write)',
  'catalog-relations.test.ts': "Strapi's populate and content-API permissions on the plugin's relations",
  'public-reads.test.ts': 'populate/filter/sort bounds and page clamps are checked on the query before any SQL; sizes follow the rows served',
  'sqlite-long-sync.test.ts': "SQLite's one write lock and busy timeout: PostgreSQL and MySQL lock rows, and the sync writes no row a purchase writes",
};

/**
 * A short smoke run on the other Node LTS lines (scripts/node-lts.ts): each boots Strapi on
 * better-sqlite3 built for that Node and drives the money path and the token route.
 */
const NODE_SMOKE = ['money-path.test.ts', 'video-token.test.ts'];

/**
 * Files that stay jest files of their own when `npm test` runs the others as one (tests/bundle):
 * the end of what they leave on the wire by design must not run inside the next file's time.
 */
const OWN_JEST_FILE = {
  'shutdown.test.ts': 'destroys Strapi with a sync, purchases and video tokens on the wire; their ends run after the file',
  'lifecycle.test.ts': "counts the process's open sockets and timers, which other files' closing connections would change",
};

/** Whether this run's database (TEST_DATABASE) runs the file: SQLite runs every file. */
const runsOnThisDatabase = (file) =>
  (process.env.TEST_DATABASE ?? 'sqlite') === 'sqlite' || process.env.OSTEOCOM_TEST_EVERY_FILE === '1' || !(file in SQLITE_ONLY);

/** The file names `OSTEOCOM_TEST_FILES` (comma-separated) narrows a run to; undefined: every file. */
const namedFiles = () => process.env.OSTEOCOM_TEST_FILES?.split(',').map((name) => name.trim());

module.exports = { SQLITE_ONLY, NODE_SMOKE, OWN_JEST_FILE, runsOnThisDatabase, namedFiles };
