import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { tableOf } from '../utils/db';
import { ACCESS_EVENT_UID, type AccessEvent } from './access-event-repository';

export const ACCESS_DAY_UID = 'plugin::osteocom.access-day';
export const ACCESS_COUNT_UID = 'plugin::osteocom.access-count';

export const DAY_MS = 86_400_000;

/** The UTC midnight starting the day of `at` (epoch ms). */
export const dayOf = (at: number) => at - (at % DAY_MS);

/** One UTC day of the ledger summed. */
export interface DayFigures {
  day: number;
  purchases: number;
  refunds: number;
  revenue: number;
  refundedAmount: number;
  /** The change in active accesses. */
  delta: number;
  /** The change in customers with an active access. */
  customers: number;
  /** The ledger's events dated that day: only ever grows, so the count before a midnight stamps the history up to it. */
  events: number;
}

type Figures = Omit<DayFigures, 'day'>;
const FIGURES = ['purchases', 'refunds', 'revenue', 'refundedAmount', 'delta', 'customers', 'events'] as const;
const ZERO: Figures = { purchases: 0, refunds: 0, revenue: 0, refundedAmount: 0, delta: 0, customers: 0, events: 0 };

/** What one ledger event adds to its day. */
const figuresOf = (event: AccessEvent): Figures => ({
  ...ZERO,
  purchases: event.kind === 'purchase' ? 1 : 0,
  refunds: event.kind === 'refund' ? 1 : 0,
  revenue: event.kind === 'purchase' ? (event.price ?? 0) : 0,
  refundedAmount: event.kind === 'refund' ? (event.price ?? 0) : 0,
  delta: event.delta,
  events: 1,
});

/**
 * How a customer's events change the count of customers with an access, by day: +1 on the day
 * their active accesses go from none to some, −1 back, netted per day. A day's net depends only on
 * the events, not on their order within it, so the sum over the days before a midnight is exactly
 * whether the customer was active then — whatever order the events were written in (an expiry is
 * dated at the access's end, earlier than when it is recorded).
 */
export const customerDays = (events: { at: number; delta: number }[]): Map<number, number> => {
  const days = new Map<number, number>();
  let active = 0;
  for (const { at, delta } of [...events].sort((a, b) => a.at - b.at)) {
    const was = active > 0;
    active += delta;
    const change = Number(active > 0) - Number(was);
    if (change) days.set(dayOf(at), (days.get(dayOf(at)) ?? 0) + change);
  }
  return new Map([...days].filter(([, change]) => change !== 0));
};

const numberOf = (value: unknown) => Number(value ?? 0);

/**
 * The report's tallies, kept with the ledger (access-event-repository.ts) in the transaction of
 * each event so that the report never sums the whole history: `osteocom_access_days` holds each
 * UTC day's figures and its changes in active accesses and active customers (the count at a
 * midnight is the sum of the days before it: one row a day), `osteocom_access_counts` the accesses
 * active now per channel and per customer. Every write adds to a row (an upsert of increments), so
 * concurrent writers on any server add up; a customer's row is written first and serializes the
 * writes of that customer, whose active days are recomputed from their own few events.
 */
export const createAccessTallyRepository = (strapi: Core.Strapi) => {
  const days = tableOf(strapi, ACCESS_DAY_UID);
  const counts = tableOf(strapi, ACCESS_COUNT_UID);
  const events = tableOf(strapi, ACCESS_EVENT_UID);
  const knex = () => strapi.db.connection;
  const client = () => strapi.db.dialect.client;

  /**
   * Adds `figures` to a day's row, creating it. A column added by an upgrade is NULL in the days
   * written before it (Strapi's schema sync gives columns no default), and NULL + 1 stays NULL.
   */
  const addToDay = (trx: Knex.Transaction, day: number, figures: Figures) => {
    const changed = FIGURES.filter((key) => figures[key]);
    const insert = trx(days.name).insert({ [days.column('day')]: day, ...Object.fromEntries(FIGURES.map((key) => [days.column(key), figures[key]])) });
    const merge = Object.fromEntries(changed.map((key) => [days.column(key), trx.raw('COALESCE(??, 0) + ?', [`${days.name}.${days.column(key)}`, figures[key]])]));
    return changed.length ? insert.onConflict(days.column('day')).merge(merge) : insert.onConflict(days.column('day')).ignore();
  };

  /** Adds `delta` to a channel's or customer's active count, creating its row (and locking it until commit). */
  const addToCount = (trx: Knex.Transaction, scope: 'channel' | 'customer', key: string, delta: number) =>
    trx(counts.name)
      .insert({ [counts.column('scope')]: scope, [counts.column('countKey')]: `${scope}:${key}`, [counts.column('active')]: delta })
      .onConflict(counts.column('countKey'))
      .merge({ [counts.column('active')]: trx.raw('?? + ?', [`${counts.name}.${counts.column('active')}`, delta]) });

  /** A customer's events, as committed now (a locking read on PostgreSQL and MySQL, whose snapshot could be older). */
  const historyOf = (trx: Knex.Transaction, customerKey: string) => {
    const query = trx(events.name)
      .select({ eventKey: events.column('eventKey'), at: events.column('at'), delta: events.column('delta') })
      .where(events.column('customerKey'), customerKey);
    return client() === 'sqlite' ? query : query.forShare();
  };

  return {
    /**
     * Adds an event's change to its customer's active count, first of all in the transaction and
     * before the event is appended: the row stays locked until commit, so this customer's writers
     * take turns from here, and none appends an event another is about to read (a locking read
     * that waits on an uncommitted row of a writer waiting on this one would be a deadlock on MySQL).
     */
    lockCustomer: async (trx: Knex.Transaction, event: AccessEvent) => {
      if (event.delta) await addToCount(trx, 'customer', event.customerKey, event.delta);
    },

    /**
     * Before a write of several events (a call's purchases of several channels): on PostgreSQL,
     * locks the customer's row, then the channels' rows by key, as `record` would take them event by
     * event — but all before any day row. Two such writes whose channels come in different orders
     * otherwise hold a channel and the day each and wait on each other in a circle (two purchases
     * of [X, Y] and [Y, X]: 38 deadlocks in 24 calls). Rows that do not exist yet are not locked
     * (creating them here would leave empty counts). MySQL takes gap locks for those; its writes
     * rely on the retry (database/deadlock-retry.ts).
     */
    lockInOrder: async (trx: Knex.Transaction, customerKey: string, channelKeys: string[]) => {
      if (client() !== 'postgres') return;
      const keys = [`customer:${customerKey}`, ...[...new Set(channelKeys)].sort().map((key) => `channel:${key}`)];
      for (const key of keys) await trx(counts.name).select(counts.column('id')).where(counts.column('countKey'), key).forUpdate();
    },

    /**
     * Adds a ledger event, just appended, to the tallies. Rows are locked in one order (customer
     * by `lockCustomer`, channel, then days by date), so two writers never wait on each other in a circle.
     */
    async record(trx: Knex.Transaction, event: AccessEvent) {
      const changes = new Map<number, Figures>([[dayOf(event.at), figuresOf(event)]]);
      if (event.delta) {
        await addToCount(trx, 'channel', event.channelKey, event.delta);
        const history = ((await historyOf(trx, event.customerKey)) as Record<string, unknown>[]).map((row) => ({
          eventKey: String(row.eventKey),
          at: numberOf(row.at),
          delta: numberOf(row.delta),
        }));
        // The customer's active days with this event, less those without it: what it changed.
        const change = customerDays(history);
        for (const [day, n] of customerDays(history.filter((row) => row.eventKey !== event.eventKey))) change.set(day, (change.get(day) ?? 0) - n);
        for (const [day, n] of change) {
          if (!n) continue;
          const figures = changes.get(day) ?? { ...ZERO };
          changes.set(day, { ...figures, customers: figures.customers + n });
        }
      }
      for (const [day, figures] of [...changes].sort(([a], [b]) => a - b)) await addToDay(trx, day, figures);
    },

    /** Whether the tallies hold anything (an upgraded site's are filled once from its ledger). */
    isEmpty: async () => !(await knex()(days.name).first(days.column('id'))),

    /**
     * Rebuilds the tallies from the ledger in one transaction (a site upgraded from a version
     * without them): the days and the active counts summed in SQL, and the days on which a
     * customer became active or stopped being so found with a running sum over each customer's
     * events (a window function: SQLite, PostgreSQL and MariaDB/MySQL alike). Returns the rows written.
     */
    async rebuild() {
      const e = events.column;
      const day = `(?? - (?? % ${DAY_MS}))`;
      const concat = (a: string, b: string) => (client() === 'mysql' ? `CONCAT(${a}, ${b})` : `${a} || ${b}`);
      return knex().transaction(async (trx) => {
        await trx(days.name).delete();
        await trx(counts.name).delete();
        const kindSum = (kind: string, value: string) => `SUM(CASE WHEN ?? = '${kind}' THEN ${value} ELSE 0 END)`;
        await trx.raw(
          `INSERT INTO ?? (??, ??, ??, ??, ??, ??, ??, ??) SELECT ${day}, ${kindSum('purchase', '1')}, ${kindSum('refund', '1')}, ` +
            `${kindSum('purchase', 'COALESCE(??, 0)')}, ${kindSum('refund', 'COALESCE(??, 0)')}, SUM(??), 0, COUNT(*) FROM ?? GROUP BY 1`,
          [
            days.name,
            ...['day', ...FIGURES].map(days.column),
            e('at'),
            e('at'),
            e('kind'),
            e('kind'),
            e('kind'),
            e('price'),
            e('kind'),
            e('price'),
            e('delta'),
            events.name,
          ]
        );
        for (const [scope, key] of [['channel', e('channelKey')], ['customer', e('customerKey')]] as const)
          await trx.raw(`INSERT INTO ?? (??, ??, ??) SELECT '${scope}', ${concat(`'${scope}:'`, '??')}, SUM(??) FROM ?? GROUP BY ?? HAVING SUM(??) <> 0`, [
            counts.name,
            counts.column('scope'),
            counts.column('countKey'),
            counts.column('active'),
            key,
            e('delta'),
            events.name,
            key,
            e('delta'),
          ]);
        const running = `SUM(??) OVER (PARTITION BY ?? ORDER BY ??, ?? ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
        const changes = (await trx.raw(
          `SELECT event_day, SUM(CASE WHEN running > 0 AND running - event_delta <= 0 THEN 1 WHEN running <= 0 AND running - event_delta > 0 THEN -1 ELSE 0 END) AS moved ` +
            `FROM (SELECT ${day} AS event_day, ?? AS event_delta, ${running} AS running FROM ??) AS walked GROUP BY event_day`,
          [e('at'), e('at'), e('delta'), e('delta'), e('customerKey'), e('at'), e('id'), events.name]
        )) as unknown;
        const rows = rowsOf(changes).filter((row) => numberOf(row.moved) !== 0);
        for (const row of rows)
          await trx(days.name).where(days.column('day'), numberOf(row.event_day)).update({ [days.column('customers')]: numberOf(row.moved) });
        const [written] = (await trx(days.name).count({ count: '*' })) as { count: unknown }[];
        const [counted] = (await trx(counts.name).count({ count: '*' })) as { count: unknown }[];
        return { days: numberOf(written.count), counts: numberOf(counted.count) };
      });
    },

    /** The days of `[start, end)`, in order. */
    async days(start: number, end: number): Promise<DayFigures[]> {
      const rows = (await knex()(days.name)
        .select(Object.fromEntries(['day', ...FIGURES].map((key) => [key, days.column(key)])))
        .where(days.column('day'), '>=', start)
        .where(days.column('day'), '<', end)
        .orderBy(days.column('day'))) as Record<string, unknown>[];
      return rows.map((row) => ({
        day: numberOf(row.day),
        ...(Object.fromEntries(FIGURES.map((key) => [key, numberOf(row[key])])) as Figures),
      }));
    },

    /** Accesses active at the midnight `start` and customers with one at the midnight `end`: sums of the days before them. */
    async activeAt(start: number, end: number) {
      const [row] = (await knex()(days.name)
        .select(
          knex().raw('SUM(CASE WHEN ?? < ? THEN ?? ELSE 0 END) AS ??', [days.column('day'), start, days.column('delta'), 'entitlements']),
          knex().raw('SUM(??) AS ??', [days.column('customers'), 'customers'])
        )
        .where(days.column('day'), '<', end)) as Record<string, unknown>[];
      return { entitlements: numberOf(row?.entitlements), customers: numberOf(row?.customers) };
    },

    /**
     * How many ledger events are dated before the midnights `split` and `end` (`split` ≤ `end`).
     * The ledger is append-only and each event counts on its day in its own transaction, so an
     * unchanged count means an unchanged history before that midnight, on any server (an id would
     * not: on PostgreSQL a lower id can commit later).
     */
    async eventsBefore(split: number, end: number, db: Knex = knex()) {
      const events = days.column('events');
      const [row] = (await db(days.name)
        .select(db.raw('SUM(CASE WHEN ?? < ? THEN ?? ELSE 0 END) AS ??', [days.column('day'), split, events, 'split']), db.raw('SUM(??) AS ??', [events, 'events']))
        .where(days.column('day'), '<', end)) as Record<string, unknown>[];
      return { split: numberOf(row?.split), end: numberOf(row?.events) };
    },

    /** Accesses active now, by channel (channels with none left out). */
    async activeByChannel(db: Knex = knex()): Promise<Map<string, number>> {
      const rows = (await db(counts.name)
        .select({ countKey: counts.column('countKey'), active: counts.column('active') })
        .where(counts.column('scope'), 'channel')
        .whereNot(counts.column('active'), 0)) as Record<string, unknown>[];
      return new Map(rows.map((row) => [String(row.countKey).slice('channel:'.length), numberOf(row.active)]));
    },
  };
};

/** The rows of a raw SELECT, as each driver hands them back. */
const rowsOf = (result: unknown): Record<string, unknown>[] => {
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? result[0] : result) as Record<string, unknown>[];
  return ((result as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
};
