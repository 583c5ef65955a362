import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { retryDeadlocks } from '../../database/deadlock-retry';
import { OsteocomError, isOsteocomError, parseInput } from '../../errors';
import { createAccessTallyRepository } from '../../repositories/access-tally-repository';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createCommitBatcher } from '../../repositories/commit-batch';
import { createCustomerRepository, type CustomerProfile, type CustomerRow } from '../../repositories/customer-repository';
import { createEntitlementRepository, rowAsWritten, type EntitlementRow } from '../../repositories/entitlement-repository';
import { RESEND_ATTENTION_MAX, authorizeBodySchema, emailProblem, entitlementRefSchema, revokeBodySchema, type AuthorizeBody, type ResendAttentionResult } from '../../../../shared/contracts/access';
import type { Actor } from '../../utils/actor';
import { getService } from '../../utils/get-service';
import { createInFlight } from '../../utils/in-flight';
import type { AuditOutcome } from '../platform/audit';
import { emitAccessFailed, emitAccessGranted, emitAccessPaused, emitAccessPending, emitAccessResumed, emitAccessRevoked } from '../platform/events';
import {
  onAuthorizeRequested,
  onExpired,
  onPauseRequested,
  onResumeRequested,
  type Suspension,
  intentOf,
  onResendRequested,
  onRevokeRequested,
  onSending,
  onSettleLost,
  onSettled,
  type Backoff,
  type Intent,
  type Outcome,
  type Patch,
} from './entitlement-lifecycle';

/** Who acts when a site's own code calls the service without naming an actor. */
const SITE_ACTOR: Actor = { type: 'system', id: 'site' };

/** Refusals about the customer, not a product: splitting the call per product cannot help. */
const CUSTOMER_LEVEL = new Set(['EMAIL_REQUIRED', 'INVALID_EMAIL']);
/** Concurrent writers a transition re-reads and recomputes after before it gives up. */
const MAX_RACES = 20;
/** Upstream answers a retry cannot change: the request itself must change. */
const PERMANENT = new Set([...CUSTOMER_LEVEL, 'UPSTREAM_REJECTED']);

/** The local refusals of an authorization, also given per row by the bulk routes (services/bulk-access.ts). */
export const unknownChannelError = (unknown: string[]) =>
  new OsteocomError('UNKNOWN_CHANNEL', `These products are not available channels of the synced catalog: ${unknown.join(', ')}.`, { details: { unknown } });
export const emailRequiredError = () =>
  new OsteocomError('EMAIL_REQUIRED', 'This Osteocom account requires an email address for every customer (marketing consent is enabled for the account).');
export const invalidEmailError = () => new OsteocomError('INVALID_EMAIL', 'The email address is not valid.');

const notActiveError = (userId: string, channelId: string, status: string | undefined) =>
  new OsteocomError(
    'ACCESS_NOT_ACTIVE',
    status
      ? `Only a running access can be paused: customer "${userId}" has channel "${channelId}" ${status}.`
      : `Customer "${userId}" has no access to channel "${channelId}" to pause.`,
    { details: { status: status ?? null } }
  );

const notResumableError = (userId: string, channelId: string, status: string | undefined) =>
  new OsteocomError(
    'ACCESS_NOT_PAUSED',
    status
      ? `Only a paused access can be resumed: customer "${userId}" has channel "${channelId}" ${status}.`
      : `Customer "${userId}" has no access to channel "${channelId}" to resume.`,
    { details: { status: status ?? null } }
  );

const notStartedError = () => new OsteocomError('ACCESS_NOT_STARTED', 'This access is scheduled and has not started yet: it is sent to Osteocom when it starts.');

const resendForbidden = (intent: Intent) =>
  new OsteocomError(
    'FORBIDDEN',
    intent === 'revoke'
      ? 'Re-sending a refund needs the "Revoke customer access" permission.'
      : 'Re-sending a purchase needs the "Authorize customer access" permission.',
    { details: { intent } }
  );

/**
 * `batched`: the customer and the purchase are recorded in a commit shared with the purchases
 * recorded meanwhile (on SQLite; repositories/commit-batch.ts), as a bulk purchase does. A single
 * purchase writes its own, so nothing it writes waits on another caller's transaction.
 */
export interface PurchaseOptions {
  batched?: boolean;
}

/** An answer, with Osteocom's own error when it refused, to reply with as it said it. */
type Result = Outcome & { error?: OsteocomError; partial?: boolean };

/** One recorded operation on one row, as it is sent: `callId` names this call among those that may still land. */
interface Operation {
  id: number;
  operationId: string;
  channelKey: string;
  price: number;
  callId: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);
  const tallies = createAccessTallyRepository(strapi);
  const batched = createCommitBatcher(strapi);
  const outboxConfig = () => strapi.plugin('osteocom').config('outbox') as { backoffBaseSeconds: number; backoffMaxSeconds: number };
  /** Operations in flight: on shutdown they get a moment to record their outcome before the database closes. */
  const inFlight = createInFlight();

  const backoff: Backoff = {
    /**
     * Once a call started now can no longer be in flight (a bearer call is at most a login, the
     * call, a fresh login and the call again, each with its retries), so the outbox never sends an
     * operation while its first call may still land.
     */
    firstRetryAt() {
      const { timeoutMs, maxAttempts, backoffMaxMs } = strapi.plugin('osteocom').config('http') as { timeoutMs: number; maxAttempts: number; backoffMaxMs: number };
      const exchangeMs = maxAttempts * timeoutMs + (maxAttempts - 1) * backoffMaxMs;
      return new Date(Date.now() + Math.max(outboxConfig().backoffBaseSeconds * 1000, 4 * exchangeMs));
    },
    retryAt(attempts: number) {
      const { backoffBaseSeconds, backoffMaxSeconds } = outboxConfig();
      const seconds = Math.min(backoffMaxSeconds, backoffBaseSeconds * 2 ** Math.max(0, attempts - 1));
      return new Date(Date.now() + seconds * 1000);
    },
  };

  const audit = (action: string, outcome: AuditOutcome, actor: Actor, userId: string, channelIds: string[], details: Record<string, unknown> = {}) =>
    getService(strapi, 'audit').record({ action, outcome, actor, subjectUserId: userId, channelKey: channelIds.join(','), details });

  const outcomeOf = (error: unknown): Result => {
    if (!isOsteocomError(error)) throw error;
    if (PERMANENT.has(error.code)) return { kind: 'permanent', code: error.code, message: error.message, error };
    const retryAfterSeconds = error.details.upstreamRetryAfterSeconds;
    return { kind: 'transient', code: error.code, message: error.message, shutdown: inFlight.stopping, ...(typeof retryAfterSeconds === 'number' ? { retryAfterSeconds } : {}) };
  };

  /**
   * Applies a lifecycle transition to one row as a compare-and-set on its version, re-reading and
   * recomputing when a concurrent write got there first. Returns the row as this call wrote it (not
   * re-read: another server may have recorded its own operation since, and this call must send its
   * own), or null when the transition had nothing to change.
   */
  const transition = async (userId: string, channelId: string, compute: (row: EntitlementRow | null) => Patch | null): Promise<EntitlementRow | null> => {
    for (let attempt = 0; attempt < MAX_RACES; attempt += 1) {
      const row = await entitlements.find(userId, channelId);
      const patch = compute(row);
      if (!patch) return null;
      if (row) {
        if (await entitlements.compareAndSet(row, patch)) return rowAsWritten(row, patch, row.version + 1);
        continue;
      }
      const inserted = await entitlements.insert(userId, channelId, patch);
      if (inserted) return rowAsWritten(inserted, patch, inserted.version);
    }
    throw new OsteocomError('INTERNAL_ERROR', 'The entitlement kept changing under concurrent calls; try again.');
  };

  /** A pause or a resume decided on the current row and recorded with its call; `refused` when the row is in no state for it. */
  const suspension = async (userId: string, channelId: string, decide: (row: EntitlementRow | null) => Suspension, intent: Intent, callId: string) => {
    let refused = false;
    let status: string | undefined;
    const row = await transition(userId, channelId, (current) => {
      status = current?.status;
      const decision = decide(current);
      refused = decision.kind === 'refused';
      return decision.kind === 'change' ? { ...decision.patch, ...onSending(current, intent, callId, backoff) } : null;
    });
    return { row, refused, status };
  };

  /** A row whose latest intent must go out again now: the answer that lost the race left nothing in flight. */
  const dueNow = (row: EntitlementRow | null): row is EntitlementRow => Boolean(row?.pendingOperation && row.nextAttemptAt && new Date(row.nextAttemptAt) <= new Date());

  /**
   * Settles one row with the answer to the operation it was sent with (a guarded write). Returns
   * whether it settled, whether the customer gained access by it (for the webhook event), and the
   * row when the answer lost the race and the row's latest intent is due again at once.
   */
  const settleRow = async (operation: Operation, intent: Intent, outcome: Outcome) => {
    const lost = { settled: false, granted: false, firstFailure: false, resend: null as EntitlementRow | null };
    for (let attempt = 0; attempt < MAX_RACES; attempt += 1) {
      const row = await entitlements.findById(operation.id);
      if (!row) break;
      // The answer is this row's only while the row still holds its operation; the version guards the write.
      if (row.operationId !== operation.operationId) {
        const repaired = await transition(row.customerKey, row.channelKey, (current) => current && onSettleLost(current, intent, outcome, backoff, operation.callId));
        return { ...lost, resend: dueNow(repaired) ? repaired : null };
      }
      if (await entitlements.compareAndSet(row, onSettled(row, intent, outcome, backoff, operation.callId))) {
        return { ...lost, settled: true, granted: intent === 'authorize' && outcome.kind === 'success' && row.status !== 'active', firstFailure: row.attempts === 0 };
      }
    }
    return lost;
  };

  /** Announces an answer once per change: access granted, refused for good, or waiting for the outbox (first failure only). */
  const announce = (userId: string, intent: Intent, outcome: Outcome, settled: { channelKey: string; granted: boolean; firstFailure: boolean }[]) => {
    if (outcome.kind === 'success') emitAccessGranted(strapi, userId, settled.filter((each) => each.granted).map((each) => each.channelKey));
    if (outcome.kind === 'permanent') emitAccessFailed(strapi, userId, settled.map((each) => each.channelKey), { operation: intent, code: outcome.code });
    if (outcome.kind === 'transient') emitAccessPending(strapi, userId, settled.filter((each) => each.firstFailure).map((each) => each.channelKey), { operation: intent });
  };

  /**
   * The first try at settling a call's rows: every row that still holds its operation, settled in
   * one transaction, then what the answer records (`record`: the audit row, the access key) in
   * another (on SQLite both shared with the calls settling meanwhile: repositories/commit-batch.ts). The rows are read before it opens, so its first statement is a guarded
   * write (an SQLite transaction that reads first can meet another process's lock it cannot wait for).
   * The rows left (a write got there first, or the row no longer holds this call) go through `settleRow`.
   */
  const settleHeld = async (operations: Operation[], intent: Intent, outcome: Outcome, record: (channelKeys: string[]) => Promise<unknown>) => {
    const rows = await entitlements.findByIds(operations.map((operation) => operation.id));
    const result = await batched(() => retryDeadlocks(strapi, `settling ${operations.length} entitlement(s) of a call`, () => strapi.db.transaction(async ({ trx }) => {
      const first = rows.get(operations[0]?.id);
      if (outcome.kind === 'success' && first) await tallies.lockInOrder(trx as Knex.Transaction, first.customerKey, operations.map((operation) => operation.channelKey));
      const settled: { channelKey: string; granted: boolean; firstFailure: boolean }[] = [];
      const left: Operation[] = [];
      for (const operation of operations) {
        const row = rows.get(operation.id);
        if (row?.operationId === operation.operationId && (await entitlements.compareAndSet(row, onSettled(row, intent, outcome, backoff, operation.callId)))) {
          settled.push({ channelKey: operation.channelKey, granted: intent === 'authorize' && outcome.kind === 'success' && row.status !== 'active', firstFailure: row.attempts === 0 });
        } else left.push(operation);
      }
      return { settled, left };
    })));
    // The access key and the audit row after the rows' commit (on SQLite, shared with the records
    // settling meanwhile): a failing audit write retries on its own — a failed statement aborts a
    // PostgreSQL transaction — and never takes a settled purchase back to pending.
    if (result.settled.length) await batched(() => record(result.settled.map((each) => each.channelKey)));
    return result;
  };

  /**
   * Settles every row of one call and records the answer with the rows it settled (`record`);
   * with `repair`, sends at once the latest intent of the rows whose answer lost a race with
   * nothing left in flight (the repair's own answers do not repair again).
   */
  const settleAll = async (userId: string, operations: Operation[], intent: Intent, outcome: Outcome, repair: boolean, record: (channelKeys: string[]) => Promise<unknown>) => {
    const { settled, left } = await settleHeld(operations, intent, outcome, record);
    const raced = [];
    const resend: EntitlementRow[] = [];
    for (const operation of left) {
      const result = await settleRow(operation, intent, outcome);
      if (result.settled) raced.push({ channelKey: operation.channelKey, ...result });
      if (result.resend) resend.push(result.resend);
    }
    if (raced.length) await record(raced.map((each) => each.channelKey));
    const all = [...settled, ...raced];
    announce(userId, intent, outcome, all);
    if (repair && resend.length) await sendDue(resend, false);
    return all.map((each) => each.channelKey);
  };

  const auditOutcome = (outcome: Outcome): AuditOutcome => (outcome.kind === 'success' ? 'success' : outcome.kind === 'transient' ? 'pending' : 'failure');

  /** The customer as Osteocom is told; an absent value is omitted, and Osteocom keeps what it has (false consent for a new customer). */
  interface UpstreamProfile {
    email?: string;
    name?: string;
    surname?: string;
    marketingConsent?: boolean;
  }

  /** The stored profile, for the calls that have no body of their own (the outbox, an editor's re-send). */
  const storedProfile = (customer: CustomerRow | null): UpstreamProfile => ({
    email: customer?.email ?? undefined,
    name: customer?.name ?? undefined,
    surname: customer?.surname ?? undefined,
    marketingConsent: customer?.marketingConsent ?? undefined,
  });

  /**
   * Sends the recorded authorizations of one customer in one call and settles each row. A refusal
   * of one product is isolated by sending the products one by one, so it fails that product alone.
   * A purchase passes the profile it checked and stored (`profile`): an erasure may blank the
   * stored one meanwhile, and the purchase must still go out as it was accepted.
   */
  const sendAuthorization = async (userId: string, operations: Operation[], actor: Actor, profile?: UpstreamProfile, repair = true): Promise<Result> => {
    const customer = await customers.find(userId);
    let outcome: Result;
    let storeKey: () => Promise<unknown> = async () => {};
    try {
      const { accessKey } = await getService(strapi, 'osteocom-client').authorizeContentAccess({
        userId,
        ...(profile ?? storedProfile(customer)),
        products: operations.map(({ channelKey, price }) => ({ productId: channelKey, price })),
      });
      if (customer) storeKey = () => customers.setAccessKey(customer.id, getService(strapi, 'crypto').encrypt(accessKey));
      outcome = { kind: 'success' };
    } catch (error) {
      outcome = outcomeOf(error);
    }
    if (outcome.kind === 'permanent' && operations.length > 1 && !CUSTOMER_LEVEL.has(outcome.code)) {
      const outcomes: Result[] = [];
      // Each row's own call: its recorded call answered (a refusal) and this one goes out under the same id.
      for (const operation of operations) outcomes.push(await sendAuthorization(userId, [operation], actor, profile, repair));
      // Refused as a whole only when every product was; otherwise each row says how it ended.
      const taken = outcomes.find((each) => each.kind !== 'permanent');
      return taken ? { ...taken, partial: true } : outcomes[0];
    }
    if (outcome.kind === 'transient' && outcome.shutdown) return outcome;
    const details = outcome.kind === 'success' ? {} : { code: outcome.code, reason: outcome.message };
    // The access key and the audit row once the rows are settled.
    const settled = await settleAll(userId, operations, 'authorize', outcome, repair, async (channelKeys) => {
      await storeKey();
      await audit('authorize', auditOutcome(outcome), actor, userId, channelKeys, details);
    });
    // The latest answer's key is kept even when no row was this call's to settle.
    if (!settled.length) await storeKey();
    return outcome;
  };

  const sendRevocation = async (userId: string, operation: Operation, actor: Actor, repair = true, revokeReason?: string): Promise<Result> => {
    let outcome: Result;
    try {
      const { cancellationDate } = await getService(strapi, 'osteocom-client').revokeActivation({ userId, channelId: operation.channelKey });
      outcome = { kind: 'success', cancellationDate };
    } catch (error) {
      outcome = outcomeOf(error);
    }
    if (outcome.kind === 'transient' && outcome.shutdown) return outcome;
    const why = revokeReason ? { revokeReason } : {};
    const details = outcome.kind === 'success' ? why : { ...why, code: outcome.code, reason: outcome.message };
    await settleAll(userId, [operation], 'revoke', outcome, repair, (channelKeys) => audit('revoke', auditOutcome(outcome), actor, userId, channelKeys, details));
    return outcome;
  };

  const operationOf = (row: EntitlementRow, callId: string): Operation => ({ id: row.id, operationId: row.operationId!, channelKey: row.channelKey, price: row.price ?? 0, callId });

  /**
   * Sends due operations: refunds one by one, purchases grouped per customer. Each is taken first
   * (recorded as a call that may land) while the row still holds it; a row that moved on meanwhile
   * is left to whoever moved it. Stops at once on shutdown without counting an attempt.
   */
  const sendDue = async (due: EntitlementRow[], repair = true) => {
    const system: Actor = { type: 'system', id: 'outbox' };
    const purchases = new Map<string, Operation[]>();
    for (const scanned of due) {
      if (inFlight.stopping) return;
      const callId = randomUUID();
      const taken = await entitlements.update(scanned.id, (row) =>
        row.operationId === scanned.operationId && row.pendingOperation ? onSending(row, row.pendingOperation, callId, backoff) : null
      );
      if (!taken) continue;
      const operation = operationOf(scanned, callId);
      if (scanned.pendingOperation === 'revoke') await sendRevocation(scanned.customerKey, operation, system, repair);
      else purchases.set(scanned.customerKey, [...(purchases.get(scanned.customerKey) ?? []), operation]);
    }
    for (const [userId, group] of purchases) {
      if (inFlight.stopping) return;
      await sendAuthorization(userId, group, system, undefined, repair);
    }
  };

  const catalogPrices = async (productIds: string[]) => {
    const prices = await channels.availablePrices(productIds);
    const unknown = productIds.filter((id) => !prices.has(id));
    if (unknown.length) {
      throw unknownChannelError(unknown);
    }
    return prices;
  };

  /** What this call states about the customer: absent fields leave the stored values as they are. */
  const profileOf = (body: AuthorizeBody): CustomerProfile =>
    Object.fromEntries(
      (['email', 'name', 'surname', 'marketingConsent'] as const).filter((key) => body[key] !== undefined).map((key) => [key, body[key]])
    );

  /** Local checks that spare Osteocom a call it would refuse. */
  const checkEmail = async (body: AuthorizeBody, stored: CustomerRow | null) => {
    if (emailProblem(body.email, false)) throw invalidEmailError();
    const { values } = await getService(strapi, 'settings').get();
    if (emailProblem(body.email ?? stored?.email, values.emailRequired) === 'EMAIL_REQUIRED') {
      throw emailRequiredError();
    }
  };

  /** 200 with the new state when Osteocom took it, 202 `pending` when the outbox holds it; a refusal is thrown as Osteocom said it. */
  // Only an authorization can be `partial` (several products in one call).
  function reply(outcome: Result | undefined, done: 'revoked'): 'revoked' | 'pending';
  function reply(outcome: Result | undefined, done: 'active' | 'revoked'): 'active' | 'revoked' | 'partial' | 'pending';
  function reply(outcome: Result | undefined, done: 'active' | 'revoked') {
    if (outcome?.error) throw outcome.error;
    if (outcome?.partial) return 'partial';
    return !outcome || outcome.kind === 'success' ? done : 'pending';
  }

  /** A purchase's reply agrees with its entitlements: products a concurrent refund overtook are `revoked` (all) or make it `partial`. */
  const purchaseState = (outcome: Result | undefined, body: AuthorizeBody, stored: { channelKey: string; status: string }[]): 'active' | 'partial' | 'pending' | 'revoked' => {
    const state = reply(outcome, 'active');
    if (state === 'pending') return state;
    const bought = new Set(body.products.map((product) => product.productId));
    const overtaken = stored.filter((row) => bought.has(row.channelKey) && row.status === 'revoked').length;
    if (!overtaken) return state;
    return overtaken === bought.size ? 'revoked' : 'partial';
  };

  /** The customer and the purchase of each product, as guarded writes: the operations to send. */
  const recordPurchase = async (body: AuthorizeBody, actor: Actor, prices: Map<string, number>) => {
    const previous = await customers.upsert(body.userId, profileOf(body));
    if (previous?.marketingConsent === true && body.marketingConsent === false) {
      await audit('consent-withdrawn', 'success', actor, body.userId, []);
    }
    const recorded: Operation[] = [];
    for (const product of body.products) {
      const price = product.price ?? prices.get(product.productId)!;
      const accessUntil = product.accessUntil ? new Date(product.accessUntil) : null;
      const accessFrom = product.accessFrom ? new Date(product.accessFrom) : null;
      const callId = randomUUID();
      let send = false;
      const row = await transition(body.userId, product.productId, (current) => {
        const change = onAuthorizeRequested(current, backoff, accessUntil, accessFrom);
        send = change?.send ?? false;
        if (!change) return null;
        if (change.send) return { ...change.patch, price, ...onSending(current, 'authorize', callId, backoff) };
        // A scheduled purchase keeps its price for when it starts.
        return change.patch.status === 'scheduled' ? { ...change.patch, price } : change.patch;
      });
      if (row && send) recorded.push(operationOf(row, callId));
    }
    return { previous, recorded };
  };

  /**
   * Records the purchase of a valid body and sends it: the answer, or undefined when nothing
   * needed sending. Throws only the local refusals that write nothing (catalog, email).
   */
  const purchase = async (body: AuthorizeBody, actor: Actor, options: PurchaseOptions = {}) => {
    const prices = await catalogPrices(body.products.map((product) => product.productId));
    await checkEmail(body, await customers.find(body.userId));
    // Recorded (and durable) before anything is sent.
    const record = () => recordPurchase(body, actor, prices);
    const { previous, recorded } = await (options.batched ? batched(record) : record());
    // What was checked and stored, as this call left it; the consent only as this call states it (a stored one is Osteocom's already).
    const profile: UpstreamProfile = {
      email: body.email ?? previous?.email ?? undefined,
      name: body.name ?? previous?.name ?? undefined,
      surname: body.surname ?? previous?.surname ?? undefined,
      marketingConsent: body.marketingConsent,
    };
    return recorded.length ? sendAuthorization(body.userId, recorded, actor, profile) : undefined;
  };

  const operations = {
    async authorize(input: unknown, actor: Actor) {
      const body = parseInput(authorizeBodySchema, input);
      const outcome = await purchase(body, actor);
      const stored = await entitlements.listFor(body.userId);
      return { state: purchaseState(outcome, body, stored), userId: body.userId, entitlements: stored };
    },

    async revoke(input: unknown, actor: Actor) {
      const { userId, channelId, reason } = parseInput(revokeBodySchema, input);
      let wasRevoked = false;
      const callId = randomUUID();
      const row = await transition(userId, channelId, (current) => {
        wasRevoked = current?.status === 'revoked';
        if (!current) return null;
        // A repeated refund without a reason keeps the one already given.
        const why = reason ? { revokeReason: reason } : wasRevoked ? {} : { revokeReason: null };
        const patch = { ...onRevokeRequested(backoff, current), ...why };
        return patch.pendingOperation === 'revoke' ? { ...patch, ...onSending(current, 'revoke', callId, backoff) } : patch;
      });
      if (!row) throw new OsteocomError('ENTITLEMENT_NOT_FOUND', `Customer "${userId}" has no access to channel "${channelId}" to revoke.`);
      getService(strapi, 'video-token').forget(userId, channelId);
      // Access ends here at once, before Osteocom confirms.
      if (!wasRevoked) emitAccessRevoked(strapi, userId, [channelId], reason ? { reason } : undefined);
      // A scheduled purchase that never left ends here alone: Osteocom has nothing to revoke.
      if (row.pendingOperation !== 'revoke') {
        await audit('revoke', 'success', actor, userId, [channelId], { local: true, ...(reason ? { reason } : {}) });
        return { state: 'revoked' as const, userId, entitlements: await entitlements.listFor(userId) };
      }
      const outcome = await sendRevocation(userId, operationOf(row, callId), actor, true, reason);
      return { state: reply(outcome, 'revoked'), userId, entitlements: await entitlements.listFor(userId) };
    },

    /**
     * An editor's re-send of a row that needs attention: its current intent goes out again now.
     * `may` says whether the editor may send that intent (a refund needs `revoke`, a purchase `authorize`).
     */
    async resend(input: unknown, actor: Actor, may: (intent: Intent) => boolean) {
      const { userId, channelId } = parseInput(entitlementRefSchema, input);
      const callId = randomUUID();
      const row = await transition(userId, channelId, (current) => {
        if (!current) return null;
        if (!may(intentOf(current))) throw resendForbidden(intentOf(current));
        if (current.status === 'scheduled' && current.accessFrom && new Date(current.accessFrom) > new Date()) throw notStartedError();
        const patch = onResendRequested(current, backoff);
        return { ...patch, ...onSending(current, patch.pendingOperation as Intent, callId, backoff) };
      });
      if (!row) throw new OsteocomError('ENTITLEMENT_NOT_FOUND', `Customer "${userId}" has no entitlement to channel "${channelId}".`);
      const revoking = row.pendingOperation === 'revoke';
      const operation = operationOf(row, callId);
      const outcome = revoking ? await sendRevocation(userId, operation, actor) : await sendAuthorization(userId, [operation], actor);
      return { state: reply(outcome, revoking ? 'revoked' : 'active'), userId, entitlements: await entitlements.listFor(userId) };
    },

    /**
     * Pauses a running access (a subscription suspended at the shop): it ends here at once and
     * Osteocom is told to revoke it. Pausing a paused access changes nothing; any other is a 409.
     */
    async pause(input: unknown, actor: Actor) {
      const { userId, channelId } = parseInput(entitlementRefSchema, input);
      const callId = randomUUID();
      const { row, refused, status } = await suspension(userId, channelId, (current) => onPauseRequested(current, backoff), 'revoke', callId);
      if (refused) throw notActiveError(userId, channelId, status);
      if (!row) return { state: 'paused' as const, userId, entitlements: await entitlements.listFor(userId) };
      getService(strapi, 'video-token').forget(userId, channelId);
      emitAccessPaused(strapi, userId, [channelId]);
      await audit('pause', 'success', actor, userId, [channelId]);
      const outcome = await sendRevocation(userId, operationOf(row, callId), actor);
      if (outcome.error) throw outcome.error;
      return { state: outcome.kind === 'success' ? ('paused' as const) : ('pending' as const), userId, entitlements: await entitlements.listFor(userId) };
    },

    /**
     * Resumes a paused access: authorized again with its stored price, its end pushed back by the
     * time spent paused. A running (or resuming) access changes nothing; any other is a 409.
     */
    async resume(input: unknown, actor: Actor) {
      const { userId, channelId } = parseInput(entitlementRefSchema, input);
      const callId = randomUUID();
      const { row, refused, status } = await suspension(userId, channelId, (current) => onResumeRequested(current, backoff), 'authorize', callId);
      if (refused) throw notResumableError(userId, channelId, status);
      if (!row) {
        const stored = await entitlements.listFor(userId);
        const current = stored.find((each) => each.channelKey === channelId);
        return { state: current?.status === 'active' ? ('active' as const) : ('pending' as const), userId, entitlements: stored };
      }
      emitAccessResumed(strapi, userId, [channelId], { accessUntil: row.accessUntil });
      await audit('resume', 'success', actor, userId, [channelId], { accessUntil: row.accessUntil });
      const outcome = await sendAuthorization(userId, [operationOf(row, callId)], actor);
      return { state: reply(outcome, 'active') as 'active' | 'pending', userId, entitlements: await entitlements.listFor(userId) };
    },

    /**
     * "Re-send all": every row of Needs attention (up to RESEND_ATTENTION_MAX, oldest first) goes
     * out again through `resend`, one after another, so each keeps every guarantee of a single
     * re-send (guarded writes, its own audit row). A row the editor may not send, or that left the
     * list meanwhile, is skipped; a refusal is counted and the next row is sent.
     */
    async resendAttention(actor: Actor, may: (intent: Intent) => boolean): Promise<ResendAttentionResult> {
      const { keys, total } = await entitlements.attentionKeys(getService(strapi, 'outbox').alertCutoff(), RESEND_ATTENTION_MAX);
      const counts = { total, confirmed: 0, pending: 0, refused: 0, skipped: 0, remaining: Math.max(0, total - keys.length) };
      for (const { customerKey, channelKey } of keys) {
        if (inFlight.stopping) {
          counts.remaining += 1;
          continue;
        }
        try {
          const { state } = await operations.resend({ userId: customerKey, channelId: channelKey }, actor, may);
          counts[state === 'pending' ? 'pending' : 'confirmed'] += 1;
        } catch (error) {
          if (!isOsteocomError(error)) throw error;
          if (error.code === 'FORBIDDEN' || error.code === 'ENTITLEMENT_NOT_FOUND') counts.skipped += 1;
          else counts.refused += 1;
        }
      }
      strapi.log.info(
        `[osteocom] re-send all: ${keys.length} of ${total} rows needing attention sent (${counts.confirmed} confirmed, ${counts.pending} pending, ${counts.refused} refused, ${counts.skipped} skipped, ${counts.remaining} remaining)`
      );
      return counts;
    },

    /** Revokes, at Osteocom too, the time-limited accesses whose end has come (actor `system`). */
    async expire(limit: number) {
      const system: Actor = { type: 'system', id: 'expiry' };
      for (const candidate of await entitlements.expired(new Date(), limit)) {
        if (inFlight.stopping) return;
        const callId = randomUUID();
        const row = await transition(candidate.customerKey, candidate.channelKey, (current) => {
          const patch = onExpired(current, backoff);
          return patch && { ...patch, ...onSending(current, 'revoke', callId, backoff) };
        });
        if (!row) continue;
        getService(strapi, 'video-token').forget(row.customerKey, row.channelKey);
        emitAccessRevoked(strapi, row.customerKey, [row.channelKey], { reason: 'expired' });
        await audit('expire', 'success', system, row.customerKey, [row.channelKey], { accessUntil: row.accessUntil });
        await sendRevocation(row.customerKey, operationOf(row, callId), system);
      }
    },

    /** The due operations of one outbox pass. */
    sendDue: (due: EntitlementRow[]) => sendDue(due),
  };

  return {
    /**
     * The public server API (also the routes' own path): the body the route takes, validated with
     * its contract (a bad one throws the route's `OsteocomError`), and who acts, for the audit —
     * a site's own code defaults to the system actor `site`.
     */
    authorize: (input: unknown, actor: Actor = SITE_ACTOR) => inFlight.track(operations.authorize(input, actor)),
    purchase: (body: AuthorizeBody, actor: Actor, options?: PurchaseOptions) => inFlight.track(purchase(body, actor, options)),
    revoke: (input: unknown, actor: Actor = SITE_ACTOR) => inFlight.track(operations.revoke(input, actor)),
    resend: (input: unknown, actor: Actor, may: (intent: Intent) => boolean) => inFlight.track(operations.resend(input, actor, may)),
    pause: (input: unknown, actor: Actor = SITE_ACTOR) => inFlight.track(operations.pause(input, actor)),
    resume: (input: unknown, actor: Actor = SITE_ACTOR) => inFlight.track(operations.resume(input, actor)),
    resendAttention: (actor: Actor, may: (intent: Intent) => boolean) => inFlight.track(operations.resendAttention(actor, may)),
    sendDue: (rows: EntitlementRow[]) => inFlight.track(operations.sendDue(rows)),
    expire: (limit: number) => inFlight.track(operations.expire(limit)),

    /** On shutdown: answers still arriving are not counted as attempts; waits at most `graceMs` for operations in flight. */
    shutdown: (graceMs: number) => inFlight.shutdown(graceMs),
  };
};
