import type { Core } from '@strapi/strapi';

/**
 * The plugin's database indexes, unique and lookup alike, are declared in each content type's
 * schema.json as a top-level `indexes: [{ name, columns, type? }]` — the single source.
 *
 * Why there: Strapi 5 carries that key into the database model
 * (`@strapi/core/dist/utils/transform-content-types-to-models.js`), and its schema sync creates
 * the index, records it in `strapi_database_schema` and diffs it on every later sync, on SQLite,
 * PostgreSQL and MySQL alike. `"unique": true` on an attribute creates no index at all: only the
 * Document Service checks it, and `db.query` / knex bypass it. Strapi's content-type validator
 * lets the key through for plugin types too (`domain/content-type`: it keeps `indexes` in the
 * schema and checks only `info` and `attributes`).
 *
 * Rules for a declaration:
 * - `columns` are database column names as the model has them (`user_id`, not `userId`): schema
 *   sync compares them with the columns it reads back from the database.
 * - `name` is at most 63 characters (PostgreSQL; MySQL allows 64) and unique in the database
 *   (PostgreSQL indexes share one namespace per schema): `osteocom_<table>_<what>_uq|_idx`.
 * - Never rename or drop one: schema sync drops indexes only with `forceMigration`, so a renamed
 *   index would be orphaned beside the new one.
 * - A unique index cannot be created over duplicate rows: `merge-duplicates.ts` merges them
 *   just before Strapi's schema sync, and needs a merge rule for each unique key.
 */
export interface DeclaredIndex {
  name: string;
  columns: string[];
  type?: string;
}

export interface UniqueKey {
  uid: string;
  table: string;
  column: string;
  index: string;
}

const PLUGIN_PREFIX = 'plugin::osteocom.';

/** Every single-column unique index the plugin's content types declare. */
export const uniqueKeys = (strapi: Core.Strapi): UniqueKey[] =>
  Object.entries(strapi.contentTypes)
    .filter(([uid]) => uid.startsWith(PLUGIN_PREFIX))
    .flatMap(([uid, contentType]) =>
      ((contentType as { indexes?: DeclaredIndex[] }).indexes ?? [])
        .filter((index) => index.type === 'unique')
        .map((index) => {
          if (index.columns.length !== 1) throw new Error(`${uid}: unique index ${index.name} must have one column`);
          return { uid, table: strapi.db.metadata.get(uid as never).tableName, column: index.columns[0], index: index.name };
        })
    );
