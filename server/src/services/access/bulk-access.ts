import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../../errors';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { MAX_PRODUCTS, emailProblem, type AuthorizeBody } from '../../../../shared/contracts/access';
import {
  MAX_BULK_ROWS,
  bulkEnvelopeSchema,
  bulkRevokeRowSchema,
  checkBulkAuthorizeRow,
  type BulkAuthorizeResult,
  type BulkAuthorizeRow,
  type BulkRevokeResult,
  type BulkValidateResult,
} from '../../../../shared/contracts/bulk';
import type { Actor } from '../../utils/actor';
import { toOsteocomError } from '../../utils/controller';
import { getService } from '../../utils/get-service';
import { emailRequiredError, invalidEmailError, unknownChannelError } from './access';
import { runBounded } from '../../utils/bounded';
import { extensionBodySchema, type ExtensionBody, type ExtensionResult } from '../../../../shared/contracts/members';
import { parseInput } from '../../errors';
import { addMonths, dayOf, endOfDay } from '../../utils/zoned-time';
import type { EntitlementRow } from '../../repositories/entitlement-repository';

/**
 * The new end of an access: a picked day ends at its last second in the site's zone; months are
 * added to the current end's day (or today's, when the end has passed) and end that day likewise.
 */
export const extendedUntil = (row: Pick<EntitlementRow, 'accessUntil'>, body: Pick<ExtensionBody, 'date' | 'months'>, zone: string, now = new Date()) => {
  if (body.date) return endOfDay(body.date, zone);
  const current = row.accessUntil ? new Date(row.accessUntil) : null;
  const from = current && current > now ? current : now;
  return endOfDay(addMonths(dayOf(from, zone), body.months ?? 0), zone);
};

type Refusal = { outcome: 'refused'; code: string; message: string };

/** Customers processed side by side unless `bulk.concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 16;

const ambiguousChannel = (reference: string, ids: string[]): Refusal => ({
  outcome: 'refused',
  code: 'UNKNOWN_CHANNEL',
  message: `"${reference}" is the title of ${ids.length} channels (${ids.join(', ')}): name the channel by its id or slug.`,
});

const refusalOf = (error: unknown): Refusal => {
  const known = toOsteocomError(error);
  if (!known) throw error;
  return { outcome: 'refused', code: known.code, message: known.message };
};

/** The rows of a bulk request, or a refusal of the request as a whole (nothing is looked at then). */
const rowsOf = (input: unknown): unknown[] => {
  const { rows } = bulkEnvelopeSchema.parse(input);
  if (rows.length > MAX_BULK_ROWS) {
    throw new OsteocomError('TOO_MANY_ROWS', `A bulk request may list at most ${MAX_BULK_ROWS} rows; this one lists ${rows.length}. Send it in several requests.`, {
      details: { max: MAX_BULK_ROWS, rows: rows.length },
    });
  }
  return rows;
};

/** The customer's fields a group of rows states: the last row that states a field wins, as if the rows were sent one after another. */
const profileOf = (rows: BulkAuthorizeRow[]) => {
  const profile: Partial<Pick<AuthorizeBody, 'email' | 'name' | 'surname' | 'marketingConsent'>> = {};
  for (const row of rows) {
    for (const key of ['email', 'name', 'surname', 'marketingConsent'] as const) {
      if (row[key] !== undefined) Object.assign(profile, { [key]: row[key] });
    }
  }
  return profile;
};

/**
 * The products of one customer's rows, each once (a repeated product: the last row's price and
 * date, as if sent one after another), with the rows each stands for; at most MAX_PRODUCTS per call.
 */
const productCalls = (rows: { index: number; row: BulkAuthorizeRow }[]) => {
  const products = new Map<string, { product: AuthorizeBody['products'][number]; indexes: number[] }>();
  for (const { index, row } of rows) {
    const indexes = products.get(row.productId)?.indexes ?? [];
    products.set(row.productId, { product: { productId: row.productId, price: row.price, accessUntil: row.accessUntil, accessFrom: row.accessFrom }, indexes: [...indexes, index] });
  }
  const all = [...products.values()];
  const calls = [];
  for (let start = 0; start < all.length; start += MAX_PRODUCTS) calls.push(all.slice(start, start + MAX_PRODUCTS));
  return calls;
};

/**
 * Bulk purchases and refunds: each row is checked as the single route would check it and refused
 * alone; the valid rows of one customer go through the access service's lifecycle together, in as
 * few Osteocom calls as it allows (one per customer, up to MAX_PRODUCTS products). Never all or
 * nothing, and idempotent like the single routes: a repeated file changes nothing.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const concurrency = () => (strapi.plugin('osteocom').config('bulk') as { concurrency?: number } | undefined)?.concurrency ?? DEFAULT_CONCURRENCY;

  /**
   * What each channel reference of the rows names: an available channel's id (an id wins over a
   * slug over an exact title), or a refusal (none, or a title several channels share).
   */
  const resolveChannels = async (references: string[]) => {
    const found = await channels.availableByReference(references);
    const resolved = new Map<string, string | Refusal>();
    for (const reference of new Set(references)) {
      const byId = found.find((channel) => channel.idChannel === reference) ?? found.find((channel) => channel.slug === reference);
      const byTitle = found.filter((channel) => channel.title === reference);
      if (byId) resolved.set(reference, byId.idChannel);
      else if (byTitle.length === 1) resolved.set(reference, byTitle[0].idChannel);
      else if (byTitle.length > 1) resolved.set(reference, ambiguousChannel(reference, byTitle.map((channel) => channel.idChannel).sort()));
      else resolved.set(reference, refusalOf(unknownChannelError([reference])));
    }
    return resolved;
  };

  /**
   * Every check a purchase makes before it writes or calls Osteocom, per row: the shared row
   * checks (shape, email format), the channel (id, slug or title of an available channel), then,
   * per customer, the email the account may require (stated in the rows or stored). Apply and the
   * dry run both run this, so the dry run refuses exactly what Apply refuses.
   */
  const checkRows = async (rows: unknown[]): Promise<(BulkAuthorizeRow | Refusal)[]> => {
    const verdicts = rows.map(checkBulkAuthorizeRow);
    const references = verdicts.flatMap((verdict) => (verdict.ok ? [verdict.row.productId] : []));
    const resolved = await resolveChannels(references);
    const checked = verdicts.map((verdict): BulkAuthorizeRow | Refusal => {
      if (!verdict.ok) return verdict.code === 'VALIDATION_ERROR' ? refusalOf(verdict.error) : refusalOf(invalidEmailError());
      const channel = resolved.get(verdict.row.productId)!;
      return typeof channel === 'string' ? { ...verdict.row, productId: channel } : channel;
    });
    return refuseMissingEmails(checked);
  };

  /** With `emailRequired` on, a customer whose rows state no email and who has none stored is refused (all their rows), as a single call would be. */
  const refuseMissingEmails = async (checked: (BulkAuthorizeRow | Refusal)[]) => {
    const { values } = await getService(strapi, 'settings').get();
    if (!values.emailRequired) return checked;
    const stated = new Map<string, string | undefined>();
    for (const row of checked) if (!('outcome' in row)) stated.set(row.userId, row.email ?? stated.get(row.userId));
    const unstated = [...stated].filter(([, email]) => !email).map(([userId]) => userId);
    const stored = unstated.length ? await customers.profilesOf(unstated) : new Map<string, { email: string | null }>();
    const missing = new Set(unstated.filter((userId) => emailProblem(stored.get(userId)?.email, true) === 'EMAIL_REQUIRED'));
    return checked.map((row) => ('outcome' in row || !missing.has(row.userId) ? row : refusalOf(emailRequiredError())));
  };

  /** Where one product stands once its call is done. */
  const outcomeOf = (entitlement: { status: string; lastErrorCode?: string | null; lastError?: string | null } | undefined) => {
    if (entitlement?.status === 'active') return { outcome: 'active' as const };
    if (entitlement?.status === 'pending') return { outcome: 'pending' as const };
    // Revoked without a refusal of its own: a refund sent meanwhile overtook this purchase.
    if (entitlement?.status === 'revoked' && !entitlement.lastErrorCode) return { outcome: 'revoked' as const };
    return { outcome: 'refused' as const, code: entitlement?.lastErrorCode ?? 'UPSTREAM_REJECTED', message: entitlement?.lastError ?? 'Osteocom refused this product.' };
  };

  /** Sends one customer's rows; a refused call's rows get their refusal, the others are left for `settledOutcomes`. */
  const authorizeCustomer = async (userId: string, rows: { index: number; row: BulkAuthorizeRow }[], actor: Actor, results: BulkAuthorizeResult[]) => {
    const profile = profileOf(rows.map(({ row }) => row));
    for (const call of productCalls(rows)) {
      try {
        await getService(strapi, 'access').purchase({ userId, ...profile, products: call.map(({ product }) => product) }, actor, { batched: true });
      } catch (error) {
        const refused = refusalOf(error);
        for (const { product, indexes } of call) for (const index of indexes) results[index] = { row: index, userId, productId: product.productId, ...refused };
      }
    }
  };

  /** Where each sent row stands once every call is done, read in one query for the whole request. */
  const settledOutcomes = async (rows: (BulkAuthorizeRow | Refusal)[], results: BulkAuthorizeResult[]) => {
    const open = rows.flatMap((row, index) => (results[index] || 'outcome' in row ? [] : [{ index, row }]));
    if (!open.length) return;
    const stored = await entitlements.outcomesOf([...new Set(open.map(({ row }) => row.userId))]);
    for (const { index, row } of open) {
      results[index] = { row: index, userId: row.userId, productId: row.productId, ...outcomeOf(stored.get(JSON.stringify([row.userId, row.productId]))) };
    }
  };

  /** Counts only: the rows name customers. */
  const logSummary = (kind: string, actor: Actor, results: { outcome: string }[]) => {
    const counts: Record<string, number> = {};
    for (const { outcome } of results) counts[outcome] = (counts[outcome] ?? 0) + 1;
    const figures = Object.entries(counts).map(([outcome, count]) => `${outcome} ${count}`).join(', ');
    strapi.log.info(`[osteocom] bulk ${kind} by ${actor.type}: ${results.length} rows (${figures})`);
  };

  return {
    async authorize(input: unknown, actor: Actor) {
      const rows = rowsOf(input);
      const checked = await checkRows(rows);
      const results: BulkAuthorizeResult[] = [];
      const groups = new Map<string, { index: number; row: BulkAuthorizeRow }[]>();
      checked.forEach((row, index) => {
        if ('outcome' in row) results[index] = { row: index, ...idsOf(rows[index]), ...row };
        else {
          groups.set(row.userId, groups.get(row.userId) ?? []);
          groups.get(row.userId)!.push({ index, row });
        }
      });
      // Customers side by side, each customer's rows in one task (in order): two rows of one customer never race.
      await runBounded([...groups], concurrency(), ([userId, group]) => authorizeCustomer(userId, group, actor, results));
      await settledOutcomes(checked, results);
      logSummary('authorizations', actor, results);
      return results;
    },

    /** The dry run of `authorize`: the same checks, nothing written, Osteocom not called. */
    async validate(input: unknown): Promise<BulkValidateResult[]> {
      const rows = rowsOf(input);
      const checked = await checkRows(rows);
      return checked.map((row, index) =>
        'outcome' in row ? { row: index, ...idsOf(rows[index]), ...row } : { row: index, userId: row.userId, productId: row.productId, outcome: 'ready' as const }
      );
    },

    /**
     * Extends or renews each row through the authorization path (`access.purchase`, guarded
     * writes): an active access gets its new end; one that ended is bought again at its stored
     * price and sent to Osteocom. An access for good is left as it is.
     */
    async extend(input: unknown, actor: Actor) {
      const body = parseInput(extensionBodySchema, input);
      const timeZone = await getService(strapi, 'customers').siteZone();
      const results: ExtensionResult[] = [];
      for (const { userId, channelId } of body.rows) {
        const row = await entitlements.find(userId, channelId);
        if (!row) {
          results.push({ userId, channelId, outcome: 'refused', code: 'ENTITLEMENT_NOT_FOUND', message: `Customer "${userId}" has no entitlement to channel "${channelId}".` });
          continue;
        }
        // Extending goes through a purchase, which would start a scheduled access or resume a paused one now.
        if (row.status === 'paused' || row.status === 'scheduled') {
          const code = row.status === 'paused' ? 'ACCESS_PAUSED' : 'ACCESS_NOT_STARTED';
          const message = row.status === 'paused' ? 'This access is paused: resume it before extending it.' : 'This access has not started yet: refund it and sell it again to change its dates.';
          results.push({ userId, channelId, outcome: 'refused', code, message });
          continue;
        }
        if (!row.accessUntil && row.status === 'active') {
          results.push({ userId, channelId, outcome: 'unchanged', accessUntil: null });
          continue;
        }
        const until = extendedUntil(row, body, timeZone);
        if (until.getTime() <= Date.now()) {
          results.push({ userId, channelId, outcome: 'refused', code: 'VALIDATION_ERROR', message: 'The new end of access must be in the future.' });
          continue;
        }
        try {
          await getService(strapi, 'access').purchase({ userId, products: [{ productId: channelId, price: row.price ?? undefined, accessUntil: until.toISOString() }] }, actor);
        } catch (error) {
          results.push({ userId, channelId, ...refusalOf(error) });
          continue;
        }
        const now = await entitlements.find(userId, channelId);
        await getService(strapi, 'audit').record({
          action: 'extend',
          outcome: 'success',
          actor,
          subjectUserId: userId,
          channelKey: channelId,
          details: { accessUntil: until.toISOString(), previousAccessUntil: row.accessUntil, timeZone },
        });
        const outcome = outcomeOf(now ?? undefined);
        results.push({ userId, channelId, ...outcome, accessUntil: now?.accessUntil ?? null });
      }
      logSummary('extensions', actor, results);
      return { timeZone, results };
    },

    /** Refunds are one Osteocom call each (the API revokes one channel at a time); a repeated row is sent once. */
    async revoke(input: unknown, actor: Actor) {
      const rows = rowsOf(input);
      const results: BulkRevokeResult[] = [];
      const done = new Map<string, BulkRevokeResult>();
      for (const [index, input] of rows.entries()) {
        const parsed = bulkRevokeRowSchema.safeParse(input);
        if (!parsed.success) {
          results.push({ row: index, ...idsOf(input), ...refusalOf(parsed.error) });
          continue;
        }
        const { userId, channelId } = parsed.data;
        const key = JSON.stringify([userId, channelId]);
        const earlier = done.get(key);
        if (earlier) {
          results.push({ ...earlier, row: index });
          continue;
        }
        let result: BulkRevokeResult;
        try {
          const { state } = await getService(strapi, 'access').revoke(parsed.data, actor);
          result = { row: index, userId, channelId, outcome: state === 'pending' ? 'pending' : 'revoked' };
        } catch (error) {
          result = { row: index, userId, channelId, ...refusalOf(error) };
        }
        done.set(key, result);
        results.push(result);
      }
      logSummary('revocations', actor, results);
      return results;
    },
  };

};

/** The ids a refused row names, when they are text: a reply never echoes anything else of a bad row. */
const idsOf = (input: unknown) => {
  if (!input || typeof input !== 'object') return {};
  const ids: Record<string, string> = {};
  for (const key of ['userId', 'productId', 'channelId']) {
    const value = (input as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length <= 191) ids[key] = value;
  }
  return ids;
};
