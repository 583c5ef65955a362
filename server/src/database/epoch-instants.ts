import type { Core } from '@strapi/strapi';

/**
 * The instants the plugin decides on are `biginteger` columns of epoch milliseconds, as the lease's
 * `expiresAt` always was. Strapi's `datetime` is `timestamp without time zone` on PostgreSQL and
 * `datetime` on MySQL: node-pg and mysql2 write a Date as the process's local wall time and the
 * column drops the offset, so a server with another `TZ` reads every instant shifted (14 h between
 * UTC and Pacific/Kiritimati: paying customers read as expired). `timestamptz` exists only on
 * PostgreSQL, and forcing UTC on the connection (pg type parsers, mysql2's `timezone`) is a
 * process-global driver setting that would change how the site's own Strapi tables are read and
 * written. A number is the same instant on every server and compares as one in SQL.
 *
 * The columns change, not the code around them: a database lifecycle turns the Dates and ISO
 * strings written and compared (in `data` and `where`) into numbers, and the numbers read back into
 * ISO strings, for every `strapi.db.query` on these types — the repositories, the admin replies
 * and any other caller keep Dates and ISO 8601 strings. At the model rather than in each
 * repository because Strapi's biginteger field throws on a Date: no caller can miss it.
 */
export const EPOCH_INSTANTS: Readonly<Record<string, readonly string[]>> = {
  'plugin::osteocom.entitlement': ['operationAt', 'doubtUntil', 'nextAttemptAt', 'authorizedAt', 'revokedAt', 'accessUntil', 'accessFrom', 'pausedAt', 'alertedAt', 'remindedFor'],
  'plugin::osteocom.customer': ['erasedAt'],
  'plugin::osteocom.sync-run': ['startedAt', 'finishedAt'],
};

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

const EPOCH_MS = /^[+-]?\d+$/;

/**
 * Epoch ms as read (a string from Strapi's biginteger field) as an ISO 8601 string. Anything else
 * goes through: `create` and `update` read their row with `findOne`, so their result is converted already.
 */
const fromEpochMs = (value: unknown): unknown =>
  typeof value === 'number' || (typeof value === 'string' && EPOCH_MS.test(value)) ? new Date(Number(value)).toISOString() : value;

/** A Date or an ISO string as epoch ms; numbers, numeric strings and null go through (anything else fails in Strapi's biginteger field). */
const toEpochMs = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' || EPOCH_MS.test(value.trim())) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : ms;
};

const condition = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toEpochMs);
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([operator, operand]) => [operator, condition(operand)]));
  return toEpochMs(value);
};

/** A `where` with its conditions on instants in epoch ms, through `$and`, `$or` and `$not`. */
const whereIn = (attributes: ReadonlySet<string>) => {
  const convert = (where: unknown): unknown => {
    if (Array.isArray(where)) return where.map(convert);
    if (!isPlain(where)) return where;
    return Object.fromEntries(
      Object.entries(where).map(([key, value]) => {
        if (key === '$and' || key === '$or' || key === '$not') return [key, convert(value)];
        return [key, attributes.has(key) ? condition(value) : value];
      })
    );
  };
  return convert;
};

const dataIn = (attributes: ReadonlySet<string>) => (data: unknown) =>
  isPlain(data) ? Object.fromEntries(Object.entries(data).map(([key, value]) => [key, attributes.has(key) ? toEpochMs(value) : value])) : data;

const rowsIn = (attributes: ReadonlySet<string>) => {
  const row = (value: unknown) => {
    if (!isPlain(value)) return;
    for (const attribute of attributes) if (attribute in value) value[attribute] = fromEpochMs(value[attribute]);
  };
  return (result: unknown) => (Array.isArray(result) ? result.forEach(row) : row(result));
};

/**
 * The read conversion alone, for a repository's edge. Idempotent (ISO strings pass through), so rows
 * the lifecycle converted are unchanged; it covers a call still answering while Strapi shuts down,
 * after `db.destroy()` cleared the lifecycles and before it closed the connection.
 */
export const instantsAsIso = (uid: string) => rowsIn(new Set(EPOCH_INSTANTS[uid] ?? []));

interface Event {
  model: { uid: string };
  params: { where?: unknown; data?: unknown };
  result?: unknown;
}

/** Subscribes the conversion for every type of EPOCH_INSTANTS (register: before any query runs). */
export const subscribeEpochInstants = (strapi: Core.Strapi) => {
  const converters = new Map(
    Object.entries(EPOCH_INSTANTS).map(([uid, attributes]) => {
      const set = new Set(attributes);
      return [uid, { where: whereIn(set), data: dataIn(set), rows: rowsIn(set) }];
    })
  );
  const before = (event: Event) => {
    const convert = converters.get(event.model.uid)!;
    if (event.params.where !== undefined) event.params.where = convert.where(event.params.where);
    if (Array.isArray(event.params.data)) event.params.data = event.params.data.map(convert.data);
    else if (event.params.data !== undefined) event.params.data = convert.data(event.params.data);
  };
  const after = (event: Event) => converters.get(event.model.uid)!.rows(event.result);
  strapi.db.lifecycles.subscribe({
    models: Object.keys(EPOCH_INSTANTS),
    ...Object.fromEntries(['beforeFindOne', 'beforeFindMany', 'beforeCount', 'beforeCreate', 'beforeCreateMany', 'beforeUpdate', 'beforeUpdateMany', 'beforeDelete', 'beforeDeleteMany'].map((name) => [name, before])),
    ...Object.fromEntries(['afterFindOne', 'afterFindMany', 'afterCreate', 'afterUpdate', 'afterDelete'].map((name) => [name, after])),
  } as never);
};
