import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { z } from 'zod';
import { entitlementSchema, entitlementStatusSchema, myEntitlementSchema, reminderOutcomeSchema, type Entitlement, type MyEntitlement } from '../../../shared/contracts/entitlements';
import { describeIssues } from '../errors';
import { instantsAsIso } from '../database/epoch-instants';
import { pageWindow } from '../utils/pagination';
import { tableOf } from '../utils/db';
import { createOrConflict } from './conflict';
import { retryDeadlocks } from '../database/deadlock-retry';
import { createAccessEventRepository, ledgerEventOf } from './access-event-repository';
import { createAccessTallyRepository } from './access-tally-repository';
import type { Knex } from 'knex';

export const ENTITLEMENT_UID = 'plugin::osteocom.entitlement';
const asIso = instantsAsIso(ENTITLEMENT_UID);

const time = z.string().nullable();
const intent = z.enum(['authorize', 'revoke']);
/** SQLite and MySQL may hand back a JSON column as its text; a column added later is NULL in older rows. */
const json = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (typeof value === 'string' ? JSON.parse(value) : (value ?? null)), schema);
const counter = z.preprocess((value) => Number(value ?? 0), z.number().int());

/** A stored entitlement as the repository hands it out: every read is parsed here, at the database's edge. */
const entitlementRowSchema = z.object({
  id: z.number().int(),
  entitlementKey: z.string(),
  customerKey: z.string(),
  channelKey: z.string(),
  version: counter,
  status: entitlementStatusSchema,
  pendingOperation: intent.nullable(),
  operationId: z.string().nullable(),
  fallbackOperation: z.literal('revoke').nullable(),
  calls: json(z.array(z.object({ id: z.string(), intent, until: z.string() })).nullable()),
  doubtOperation: intent.nullable(),
  doubtUntil: time,
  attempts: counter,
  needsReconciliation: z.preprocess(Boolean, z.boolean()),
  accessUntil: time,
  accessFrom: time,
  pausedAt: time,
  price: z.number().int().nullable(),
  nextAttemptAt: time,
  operationAt: time,
  alertedAt: time,
  lastError: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  authorizedAt: time,
  revokedAt: time,
  revokeReason: z.string().nullable().optional().transform((value) => value ?? null),
  remindedFor: time,
  reminderOutcome: reminderOutcomeSchema.nullable(),
  updatedAt: z.string(),
});
export type EntitlementRow = z.infer<typeof entitlementRowSchema>;

type TimeColumn = 'doubtUntil' | 'accessUntil' | 'accessFrom' | 'pausedAt' | 'nextAttemptAt' | 'operationAt' | 'alertedAt' | 'authorizedAt' | 'revokedAt' | 'remindedFor';
/** The columns a write may set (the keys and `version` are the repository's): a misspelt column fails `tsc`. */
export type Patch = Partial<Omit<EntitlementRow, 'id' | 'entitlementKey' | 'customerKey' | 'channelKey' | 'version' | 'updatedAt' | TimeColumn> & Record<TimeColumn, Date | string | null>>;

/** A row the schema refuses is the database's or this file's fault: a 500, never the client's 400 (a ZodError). */
const parseRows = <T extends z.ZodType>(schema: T, rows: unknown): z.output<T> => {
  asIso(rows);
  const parsed = schema.safeParse(rows);
  if (!parsed.success) throw new Error(`[osteocom] an entitlement row read from the database does not match its schema: ${describeIssues(parsed.error)}`);
  return parsed.data;
};

const normalize = (row: unknown): EntitlementRow | null => (row ? parseRows(entitlementRowSchema, row) : null);

/** A row with a patch applied, as a read would return it (instants as ISO strings, not the patch's Dates). */
export const rowAsWritten = (row: EntitlementRow, patch: Patch, version: number): EntitlementRow =>
  parseRows(entitlementRowSchema, {
    ...row,
    ...Object.fromEntries(Object.entries(patch).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value])),
    version,
  });

/** The rows of a select of these columns. */
const rowsOf = <K extends keyof EntitlementRow>(keys: readonly K[]) => z.array(entitlementRowSchema.pick<{ [Key in K]: true }>(Object.fromEntries(keys.map((key) => [key, true])) as never));

/** What callers may see of an entitlement (admins and the shop's back end): the contract's fields. */
const PUBLIC_FIELDS = Object.keys(entitlementSchema.shape) as (keyof Entitlement)[];
const publicRows = rowsOf(PUBLIC_FIELDS);
const listedRows = rowsOf(['customerKey', 'operationAt', ...PUBLIC_FIELDS]);

/** What an end user may see of their own access: the contract's fields, `channelId` stored as `channelKey`, the title joined by the service. */
const OWN_FIELDS = ['channelKey', ...(Object.keys(myEntitlementSchema.omit({ channelId: true, channelTitle: true }).shape) as Exclude<keyof MyEntitlement, 'channelId' | 'channelTitle'>[])] as const;
const ownRows = rowsOf(OWN_FIELDS);

const memberRows = rowsOf(['id', 'customerKey', ...PUBLIC_FIELDS]);

const EXPORT_FIELDS = ['id', 'customerKey', 'channelKey', 'status', 'price', 'accessUntil'] as const;
const exportRows = rowsOf(EXPORT_FIELDS);

const entitlementKey = (userId: string, channelId: string) => `${userId}::${channelId}`;

/** Tries to apply a change computed from the row as read, again on a fresh read when another write got there first. */
const MAX_RETRIES = 20;

/**
 * The entitlements table. `entitlementKey` is unique in the database; every write is a
 * compare-and-set on the row's `version`, which it increments: a patch computed from a row that
 * changed since it was read applies to nothing, so a write that lost a race changes nothing.
 */
export const createEntitlementRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(ENTITLEMENT_UID);

  /** Rows an editor should look at: flagged, failed, or unconfirmed since before `cutoff`. */
  const attentionWhere = (cutoff: Date) => ({
    $or: [{ needsReconciliation: true }, { status: 'failed' }, { pendingOperation: { $notNull: true }, operationAt: { $lt: cutoff } }],
  });

  const find = async (userId: string, channelId: string) =>
    normalize(await query().findOne({ where: { entitlementKey: entitlementKey(userId, channelId) } }));

  const ledger = createAccessEventRepository(strapi);
  const tallies = createAccessTallyRepository(strapi);

  /**
   * The guarded write. A write that changes what the sales report counts (a purchase confirmed,
   * a refund, an expiry) appends its ledger event and adds it to the report's tallies in the
   * same transaction: all or nothing.
   */
  async function compareAndSet(row: EntitlementRow, patch: Patch) {
    const { id, version } = row;
    // Rows written before versions existed may hold NULL until the column's default reached them.
    const current = version === 0 ? { $or: [{ version: 0 }, { version: { $null: true } }] } : { version };
    const write = async () => (await query().updateMany({ where: { id, ...current }, data: { ...patch, version: version + 1, updatedAt: new Date() } })).count === 1;
    const event = ledgerEventOf({ entitlementId: id, version: version + 1, customerKey: row.customerKey, channelKey: row.channelKey }, row, { ...row, ...patch } as EntitlementRow);
    if (!event) return write();
    return retryDeadlocks(strapi, 'an entitlement write with its report tallies', () =>
      strapi.db.transaction(async ({ trx }) => {
        if (!(await write())) return false;
        await tallies.lockCustomer(trx as Knex.Transaction, event);
        await ledger.append(trx as Knex.Transaction, event);
        await tallies.record(trx as Knex.Transaction, event);
        return true;
      })
    );
  }

  /** Reads the row, computes a patch from it and writes it as a compare-and-set, again on a fresh read while others win. */
  const update = async (id: number, compute: (row: EntitlementRow) => Patch | null) => {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt += 1) {
      const row = normalize(await query().findOne({ where: { id } }));
      const patch = row && compute(row);
      if (!row || !patch) return false;
      if (await compareAndSet(row, patch)) return true;
    }
    return false;
  };

  return {
    find,

    /** Writes what `compute` makes of the row as it is now (null: nothing), as a compare-and-set; whether it wrote. */
    update,

    async findById(id: number) {
      return normalize(await query().findOne({ where: { id } }));
    },

    /** These rows, whole, by id (an id no longer stored has none). */
    async findByIds(ids: number[]) {
      const rows = parseRows(z.array(entitlementRowSchema), await query().findMany({ where: { id: { $in: ids } } }));
      return new Map(rows.map((row) => [row.id, row]));
    },

    /** Inserts a new entitlement and returns it as stored, or null when a concurrent call inserted it first. */
    async insert(userId: string, channelId: string, patch: Patch) {
      const data = { entitlementKey: entitlementKey(userId, channelId), customerKey: userId, channelKey: channelId, version: 0, ...patch };
      let inserted = null as EntitlementRow | null;
      // An insert records a purchase or a revocation to send (pending or revoked, see
      // entitlement-lifecycle.ts), never a confirmed access: nothing for the report's ledger yet.
      await createOrConflict(async () => (inserted = normalize(await query().create({ data }))), () => find(userId, channelId));
      return inserted;
    },

    /** Writes the patch only while the row is still at the version it was read at, and moves it to the next version (with its ledger event, if any). */
    compareAndSet,

    /** A customer's entitlements, as admins and the shop's back end see them. */
    listFor: async (userId: string) =>
      parseRows(publicRows, await query().findMany({ select: PUBLIC_FIELDS, where: { customerKey: userId }, orderBy: { channelKey: 'asc' } })),

    /** A customer's entitlements, as the end user sees them. */
    listOwn: async (userId: string) =>
      parseRows(ownRows, await query().findMany({ select: [...OWN_FIELDS], where: { customerKey: userId }, orderBy: { channelKey: 'asc' } })),

    /** How each entitlement of these customers stands (status and last refusal), by `JSON.stringify([customerKey, channelKey])`. */
    async outcomesOf(userIds: string[]) {
      const rows = parseRows(
        rowsOf(['customerKey', 'channelKey', 'status', 'lastErrorCode', 'lastError']),
        await query().findMany({ select: ['customerKey', 'channelKey', 'status', 'lastErrorCode', 'lastError'], where: { customerKey: { $in: userIds } } })
      );
      return new Map(rows.map((row) => [JSON.stringify([row.customerKey, row.channelKey]), row]));
    },

    /** The status of every entitlement of these customers. */
    statusesOf: async (userIds: string[]) =>
      (await query().findMany({ select: ['customerKey', 'channelKey', 'status'], where: { customerKey: { $in: userIds } } })) as Pick<EntitlementRow, 'customerKey' | 'channelKey' | 'status'>[],

    /** A page of entitlements, last changed first; with `attentionCutoff`, only those an editor should look at. */
    async page(pagination: Pagination, attentionCutoff?: Date) {
      const where = attentionCutoff ? attentionWhere(attentionCutoff) : {};
      const [rows, total] = await Promise.all([
        query().findMany({ select: ['customerKey', 'operationAt', ...PUBLIC_FIELDS], where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], ...pageWindow(pagination) }),
        query().count({ where }),
      ]);
      return { rows: parseRows(listedRows, rows), total };
    },

    /** The first `limit` rows of Needs attention (oldest first), and how many it holds in all: what "Re-send all" sends. */
    async attentionKeys(cutoff: Date, limit: number) {
      const where = attentionWhere(cutoff);
      const [rows, total] = await Promise.all([
        query().findMany({ select: ['customerKey', 'channelKey'], where, orderBy: { id: 'asc' }, limit }),
        query().count({ where }),
      ]);
      return { keys: rows as Pick<EntitlementRow, 'customerKey' | 'channelKey'>[], total: Number(total) };
    },

    /** The last upstream error of each of a customer's entitlements that has one (it may quote what the site sent). */
    errorsOf: async (userId: string) =>
      (await query().findMany({ select: ['id', 'lastError'], where: { customerKey: userId, lastError: { $notNull: true } } })) as { id: number; lastError: string }[],

    /** The customer's purchases still waiting to reach Osteocom (they are sent with the customer's profile). */
    pendingAuthorizationsOf: async (userId: string) =>
      ((await query().findMany({ select: ['channelKey'], where: { customerKey: userId, pendingOperation: 'authorize' }, orderBy: { channelKey: 'asc' } })) as { channelKey: string }[]).map(
        (row) => row.channelKey
      ),

    /**
     * The same purchases as a subquery, for a write elsewhere that must not happen while any is
     * pending: checked in the write's own statement, so none can be recorded between check and write.
     */
    pendingAuthorizationQuery(userId: string) {
      const table = tableOf(strapi, ENTITLEMENT_UID);
      return strapi.db.connection(table.name).select(table.column('id')).where(table.column('customerKey'), userId).where(table.column('pendingOperation'), 'authorize');
    },

    /** Rewrites a stored error message, only while it is still `previous` (a lifecycle write may replace it meanwhile). */
    replaceLastError: (id: number, previous: string, next: string) => update(id, (row) => (row.lastError === previous ? { lastError: next } : null)),

    /** Active or pending accesses ending after `from` and by `to`, soonest first. */
    async expiring(from: Date, to: Date, pagination: Pagination) {
      const where = { accessUntil: { $gt: from, $lte: to }, status: { $in: ['active', 'pending'] } };
      const [rows, total] = await Promise.all([
        query().findMany({ select: ['customerKey', 'operationAt', ...PUBLIC_FIELDS], where, orderBy: [{ accessUntil: 'asc' }, { id: 'asc' }], ...pageWindow(pagination) }),
        query().count({ where }),
      ]);
      return { rows: parseRows(listedRows, rows), total };
    },

    /**
     * The next `limit` entitlements after id `afterId` (keyset, by id) that match `where` (a
     * query-engine filter), with what the members export writes: a page in memory, whatever the table's size.
     */
    exportPage: async (where: Record<string, unknown>, afterId: number, limit: number) =>
      parseRows(
        exportRows,
        await query().findMany({ select: [...EXPORT_FIELDS], where: { ...where, id: { $gt: afterId } }, orderBy: { id: 'asc' }, limit })
      ),

    /** These rows (the member list's page), in the order of `ids`. */
    async byIds(ids: number[]) {
      if (!ids.length) return [];
      const rows = parseRows(memberRows, await query().findMany({ select: ['id', 'customerKey', ...PUBLIC_FIELDS], where: { id: { $in: ids } } }));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },

    /** What the members export writes of these rows, by id. */
    exportRowsOf: async (ids: number[]) =>
      ids.length ? parseRows(exportRows, await query().findMany({ select: [...EXPORT_FIELDS], where: { id: { $in: ids } }, orderBy: { id: 'asc' } })) : [],

    /** Operations unconfirmed, due for a send at `now`, and rows an editor should look at (see `attentionWhere`). */
    async counts(now: Date, attentionCutoff: Date) {
      const pendingWhere = { pendingOperation: { $notNull: true } };
      const [pending, due, attention] = await Promise.all([
        query().count({ where: pendingWhere }),
        query().count({ where: { ...pendingWhere, nextAttemptAt: { $lte: now } } }),
        query().count({ where: attentionWhere(attentionCutoff) }),
      ]);
      return { pending: Number(pending), due: Number(due), attention: Number(attention) };
    },

    /** Osteocom refused a video of an active entitlement: the two sides disagree. */
    flagForReconciliation: (id: number) => update(id, (row) => (row.needsReconciliation ? null : { needsReconciliation: true })),

    /**
     * Rows written before operations had ids: a pending purchase with nothing left to send (the
     * old outbox could leave one) or an operation without an id is recorded afresh, due now.
     */
    async repairLegacy() {
      const now = new Date();
      const strandedNow = (row: EntitlementRow) => (row.status === 'pending' && !row.pendingOperation) || (row.pendingOperation && !row.operationId);
      const stranded = (await query().findMany({
        select: ['id'],
        where: { $or: [{ status: 'pending', pendingOperation: { $null: true } }, { pendingOperation: { $notNull: true }, operationId: { $null: true } }] },
      })) as { id: number }[];
      let repaired = 0;
      for (const { id } of stranded) {
        const written = await update(id, (row) =>
          strandedNow(row) ? { pendingOperation: row.pendingOperation ?? 'authorize', operationId: randomUUID(), operationAt: now, nextAttemptAt: now } : null
        );
        if (written) repaired += 1;
      }
      return repaired;
    },

    /** Operations the outbox should send now, oldest first. */
    async due(limit: number) {
      const rows = await query().findMany({
        where: { pendingOperation: { $notNull: true }, nextAttemptAt: { $lte: new Date() } },
        orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
        limit,
      });
      return rows.map((row) => normalize(row)!);
    },

    /** Active time-limited accesses whose end has come, oldest first. */
    async expired(now: Date, limit: number) {
      const rows = await query().findMany({
        where: { accessUntil: { $lte: now }, status: 'active', pendingOperation: { $null: true } },
        orderBy: { accessUntil: 'asc' },
        limit,
      });
      return rows.map((row) => normalize(row)!);
    },

    /** Operations still unconfirmed since before `cutoff` that raised no alert yet. */
    async overdue(cutoff: Date) {
      const rows = await query().findMany({
        where: { pendingOperation: { $notNull: true }, operationAt: { $lt: cutoff }, alertedAt: { $null: true } },
        orderBy: { operationAt: 'asc' },
        limit: 100,
      });
      return rows.map((row) => normalize(row)!);
    },
  };
};
