import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../../errors';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import { MAX_PRODUCTS, emailProblem, type AuthorizeBody } from '../../../../shared/contracts/access';
import {
  MAX_BULK_ROWS,
  bulkAuthorizeRowSchema,
  bulkEnvelopeSchema,
  bulkRevokeRowSchema,
  type BulkAuthorizeResult,
  type BulkAuthorizeRow,
  type BulkRevokeResult,
} from '../../../../shared/contracts/bulk';
import type { Actor } from '../../utils/actor';
import { toOsteocomError } from '../../utils/controller';
import { getService } from '../../utils/get-service';
import { invalidEmailError, unknownChannelError } from './access';
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
    products.set(row.productId, { product: { productId: row.productId, price: row.price, accessUntil: row.accessUntil }, indexes: [...indexes, index] });
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

  /** The local checks of a single authorization, per row, in the same order: schema, catalog, email. */
  const checkRows = async (rows: unknown[]) => {
    const checked = rows.map((input) => bulkAuthorizeRowSchema.safeParse(input));
    const prices = await channels.availablePrices([...new Set(checked.flatMap((each) => (each.success ? [each.data.productId] : [])))]);
    return checked.map((each): BulkAuthorizeRow | Refusal => {
      if (!each.success) return refusalOf(each.error);
      const row = each.data;
      if (!prices.has(row.productId)) return refusalOf(unknownChannelError([row.productId]));
      if (emailProblem(row.email, false)) return refusalOf(invalidEmailError());
      return row;
    });
  };

  /** Where one product stands once its call is done. */
  const outcomeOf = (entitlement: { status: string; lastErrorCode?: string | null; lastError?: string | null } | undefined) => {
    if (entitlement?.status === 'active') return { outcome: 'active' as const };
    if (entitlement?.status === 'pending') return { outcome: 'pending' as const };
    // Revoked without a refusal of its own: a refund sent meanwhile overtook this purchase.
    if (entitlement?.status === 'revoked' && !entitlement.lastErrorCode) return { outcome: 'revoked' as const };
    return { outcome: 'refused' as const, code: entitlement?.lastErrorCode ?? 'UPSTREAM_REJECTED', message: entitlement?.lastError ?? 'Osteocom refused this product.' };
  };

  const authorizeCustomer = async (userId: string, rows: { index: number; row: BulkAuthorizeRow }[], actor: Actor, results: BulkAuthorizeResult[]) => {
    const profile = profileOf(rows.map(({ row }) => row));
    for (const call of productCalls(rows)) {
      let refused: Refusal | undefined;
      try {
        await getService(strapi, 'access').purchase({ userId, ...profile, products: call.map(({ product }) => product) }, actor);
      } catch (error) {
        refused = refusalOf(error);
      }
      const stored = refused ? [] : await entitlements.listFor(userId);
      for (const { product, indexes } of call) {
        const outcome = refused ?? outcomeOf(stored.find((each) => each.channelKey === product.productId));
        for (const index of indexes) results[index] = { row: index, userId, productId: product.productId, ...outcome };
      }
    }
  };

  /** Counts only: the rows name customers. */
  const logSummary = (kind: string, actor: Actor, results: { outcome: string }[]) => {
    const counts: Record<string, number> = {};
    for (const { outcome } of results) counts[outcome] = (counts[outcome] ?? 0) + 1;
    strapi.log.info(`[osteocom] bulk ${kind}`, { actor: actor.type, rows: results.length, ...counts });
  };

  return {
    async authorize(input: unknown, actor: Actor) {
      const rows = rowsOf(input);
      const checked = await checkRows(rows);
      const results: BulkAuthorizeResult[] = [];
      const customers = new Map<string, { index: number; row: BulkAuthorizeRow }[]>();
      checked.forEach((row, index) => {
        if ('outcome' in row) results[index] = { row: index, ...idsOf(rows[index]), ...row };
        else {
          customers.set(row.userId, customers.get(row.userId) ?? []);
          customers.get(row.userId)!.push({ index, row });
        }
      });
      for (const [userId, group] of customers) await authorizeCustomer(userId, group, actor, results);
      logSummary('authorizations', actor, results);
      return results;
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
