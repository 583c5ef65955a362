import type { Core } from '@strapi/strapi';
import { OsteocomError, isOsteocomError } from '../errors';
import { CHANNEL_UID } from '../repositories/catalog-repository';
import { EMAIL_PATTERN, authorizeBodySchema, revokeBodySchema } from '../schemas/access';
import type { Actor } from '../utils/actor';
import { emitAccessFailed, emitAccessGranted, emitAccessPending, emitAccessRevoked } from './events';
import { getService } from '../utils/get-service';

const CUSTOMER_UID = 'plugin::osteocom.customer';
const ENTITLEMENT_UID = 'plugin::osteocom.entitlement';

/** Upstream answers that a retry cannot change: the caller must fix the request. */
const PERMANENT = new Set(['EMAIL_REQUIRED', 'INVALID_EMAIL', 'UPSTREAM_REJECTED']);

export const isTransient = (error: unknown) => isOsteocomError(error) && !PERMANENT.has(error.code);

export const entitlementKey = (userId: string, channelId: string) => `${userId}::${channelId}`;

type Row = Record<string, unknown> & { id: number };

export const PUBLIC_ENTITLEMENT_FIELDS = ['channelKey', 'status', 'price', 'authorizedAt', 'revokedAt', 'pendingOperation', 'lastError', 'attempts', 'nextAttemptAt', 'updatedAt'];

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const customers = () => strapi.db.query(CUSTOMER_UID);
  const entitlements = () => strapi.db.query(ENTITLEMENT_UID);
  const outboxConfig = () => strapi.plugin('osteocom').config('outbox') as { maxAttempts: number; backoffBaseSeconds: number; backoffMaxSeconds: number };

  const nextAttemptAt = (attempts: number) => {
    const { backoffBaseSeconds, backoffMaxSeconds } = outboxConfig();
    const seconds = Math.min(backoffMaxSeconds, backoffBaseSeconds * 2 ** Math.max(0, attempts - 1));
    return new Date(Date.now() + seconds * 1000);
  };

  /**
   * When the outbox may take over an operation whose first call starts now: once that call can
   * no longer be in flight (a bearer call is at most a login, the call, a fresh login and the
   * call again, each with its retries), so the outbox never pushes it a second time meanwhile.
   */
  const afterFirstCall = () => {
    const { timeoutMs, maxAttempts, backoffMaxMs } = strapi.plugin('osteocom').config('http') as { timeoutMs: number; maxAttempts: number; backoffMaxMs: number };
    const exchangeMs = maxAttempts * timeoutMs + (maxAttempts - 1) * backoffMaxMs;
    return new Date(Date.now() + Math.max(outboxConfig().backoffBaseSeconds * 1000, 4 * exchangeMs));
  };

  const upsertCustomer = async (body: { userId: string; email?: string; name?: string; surname?: string; marketingConsent: boolean }) => {
    const profile = { email: body.email, name: body.name, surname: body.surname, marketingConsent: body.marketingConsent };
    const existing = (await customers().findOne({ where: { userId: body.userId }, select: ['id'] })) as Row | null;
    if (existing) return customers().update({ where: { id: existing.id }, data: profile });
    return customers().create({ data: { userId: body.userId, ...profile } });
  };

  const catalogPrices = async (productIds: string[]) => {
    const rows = (await strapi.db.query(CHANNEL_UID).findMany({
      select: ['idChannel', 'price'],
      where: { idChannel: { $in: productIds }, availability: 'available' },
    })) as { idChannel: string; price: number | null }[];
    const prices = new Map(rows.map((row) => [row.idChannel, row.price ?? 0]));
    const unknown = productIds.filter((id) => !prices.has(id));
    if (unknown.length) {
      throw new OsteocomError('UNKNOWN_CHANNEL', `These products are not available channels of the synced catalog: ${unknown.join(', ')}.`, {
        details: { unknown },
      });
    }
    return prices;
  };

  /** Records the purchase first, so an upstream outage never loses it. Active access is never downgraded. */
  const markPending = async (userId: string, products: { productId: string; price: number }[]) => {
    for (const product of products) {
      const key = entitlementKey(userId, product.productId);
      const existing = (await entitlements().findOne({ where: { entitlementKey: key } })) as Row | null;
      const pending = { price: product.price, lastError: null, attempts: 0, nextAttemptAt: afterFirstCall(), needsReconciliation: false };
      if (!existing) {
        await entitlements().create({
          data: { entitlementKey: key, customerKey: userId, channelKey: product.productId, status: 'pending', pendingOperation: 'authorize', ...pending },
        });
      } else if (existing.status !== 'active') {
        await entitlements().update({ where: { id: existing.id }, data: { status: 'pending', pendingOperation: 'authorize', revokedAt: null, ...pending } });
      }
    }
  };

  const listFor = async (userId: string) =>
    entitlements().findMany({ select: PUBLIC_ENTITLEMENT_FIELDS, where: { customerKey: userId }, orderBy: { channelKey: 'asc' } });

  const updateMany = (userId: string, channelIds: string[], data: Record<string, unknown>) =>
    entitlements().updateMany({ where: { customerKey: userId, channelKey: { $in: channelIds } }, data });

  /** Calls Osteocom for a recorded purchase and settles the entitlements on the answer. */
  const pushAuthorization = async (userId: string, channelIds: string[], actor: Actor) => {
    const customer = (await customers().findOne({ where: { userId } })) as Row;
    const rows = (await entitlements().findMany({ where: { customerKey: userId, channelKey: { $in: channelIds } } })) as Row[];
    const products = rows.map((row) => ({ productId: row.channelKey as string, price: (row.price as number | null) ?? 0 }));
    const attempts = Math.max(0, ...rows.map((row) => Number(row.attempts ?? 0))) + 1;
    try {
      const { accessKey } = await getService(strapi, 'osteocom-client').authorizeContentAccess({
        userId,
        email: (customer.email as string | null) ?? undefined,
        marketingConsent: Boolean(customer.marketingConsent),
        name: (customer.name as string | null) ?? undefined,
        surname: (customer.surname as string | null) ?? undefined,
        products,
      });
      await customers().update({ where: { id: customer.id }, data: { accessKey: getService(strapi, 'crypto').encrypt(accessKey) } });
      await updateMany(userId, channelIds, { status: 'active', pendingOperation: null, authorizedAt: new Date(), lastError: null, nextAttemptAt: null, attempts });
      await audit('authorize', 'success', actor, userId, channelIds, { attempts });
      emitAccessGranted(strapi, userId, rows.filter((row) => row.status !== 'active').map((row) => row.channelKey as string));
      return 'active' as const;
    } catch (error) {
      if (!isOsteocomError(error)) throw error;
      if (isTransient(error) && attempts < outboxConfig().maxAttempts) {
        await updateMany(userId, channelIds, { status: 'pending', attempts, nextAttemptAt: nextAttemptAt(attempts), lastError: error.message });
        await audit('authorize', 'pending', actor, userId, channelIds, { attempts, code: error.code });
        if (attempts === 1) emitAccessPending(strapi, userId, channelIds, { operation: 'authorize' });
        return { pending: error };
      }
      const failing = rows.filter((row) => row.status !== 'active').map((row) => row.channelKey as string);
      await updateMany(userId, failing, { status: 'failed', pendingOperation: null, attempts, nextAttemptAt: null, lastError: error.message });
      await audit('authorize', 'failure', actor, userId, channelIds, { attempts, code: error.code });
      emitAccessFailed(strapi, userId, failing, { operation: 'authorize', code: error.code });
      throw error;
    }
  };

  const pushRevocation = async (userId: string, channelId: string, actor: Actor) => {
    const row = (await entitlements().findOne({ where: { entitlementKey: entitlementKey(userId, channelId) } })) as Row;
    const attempts = Number(row.attempts ?? 0) + 1;
    try {
      const { cancellationDate } = await getService(strapi, 'osteocom-client').revokeActivation({ userId, channelId });
      await entitlements().update({
        where: { id: row.id },
        data: { status: 'revoked', pendingOperation: null, revokedAt: new Date(cancellationDate), lastError: null, nextAttemptAt: null, attempts },
      });
      await audit('revoke', 'success', actor, userId, [channelId], { attempts });
      return 'revoked' as const;
    } catch (error) {
      if (!isOsteocomError(error)) throw error;
      const retry = isTransient(error) && attempts < outboxConfig().maxAttempts;
      await entitlements().update({
        where: { id: row.id },
        data: retry
          ? { attempts, nextAttemptAt: nextAttemptAt(attempts), lastError: error.message }
          : { pendingOperation: null, attempts, nextAttemptAt: null, lastError: error.message, needsReconciliation: true },
      });
      await audit('revoke', retry ? 'pending' : 'failure', actor, userId, [channelId], { attempts, code: error.code });
      if (retry && attempts === 1) emitAccessPending(strapi, userId, [channelId], { operation: 'revoke' });
      if (!retry) emitAccessFailed(strapi, userId, [channelId], { operation: 'revoke', code: error.code });
      if (retry) return { pending: error };
      throw error;
    }
  };

  const audit = (action: string, outcome: 'success' | 'pending' | 'failure', actor: Actor, userId: string, channelIds: string[], details: Record<string, unknown>) =>
    getService(strapi, 'audit').record({ action, outcome, actor, subjectUserId: userId, channelKey: channelIds.join(','), details });

  /** Operations in flight: on shutdown they get a moment to record their outcome before the database closes. */
  const inFlight = new Set<Promise<unknown>>();
  const tracked = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    const done = () => void inFlight.delete(work);
    work.then(done, done);
    return work;
  };

  const operations = {
    async authorize(input: unknown, actor: Actor) {
      const body = authorizeBodySchema.parse(input);
      if (body.marketingConsent && !body.email) {
        throw new OsteocomError('EMAIL_REQUIRED', 'An email address is required when the customer gives marketing consent.');
      }
      if (body.email && !EMAIL_PATTERN.test(body.email)) {
        throw new OsteocomError('INVALID_EMAIL', 'The email address is not valid.');
      }
      const prices = await catalogPrices(body.products.map((product) => product.productId));
      const products = body.products.map((product) => ({ productId: product.productId, price: product.price ?? prices.get(product.productId)! }));
      await upsertCustomer(body);
      await markPending(body.userId, products);
      const outcome = await pushAuthorization(body.userId, products.map((p) => p.productId), actor);
      return { state: outcome === 'active' ? 'active' : 'pending', userId: body.userId, entitlements: await listFor(body.userId) };
    },

    async revoke(input: unknown, actor: Actor) {
      const { userId, channelId } = revokeBodySchema.parse(input);
      const row = (await entitlements().findOne({ where: { entitlementKey: entitlementKey(userId, channelId) } })) as Row | null;
      if (!row) throw new OsteocomError('ENTITLEMENT_NOT_FOUND', `Customer "${userId}" has no access to channel "${channelId}" to revoke.`);
      // Access ends locally at once; the upstream call follows, or the outbox retries it.
      await entitlements().update({ where: { id: row.id }, data: { status: 'revoked', pendingOperation: 'revoke', attempts: 0, nextAttemptAt: afterFirstCall() } });
      getService(strapi, 'video-token').forget(userId, channelId);
      if (row.status !== 'revoked') emitAccessRevoked(strapi, userId, [channelId]);
      const outcome = await pushRevocation(userId, channelId, actor);
      return { state: outcome === 'revoked' ? 'revoked' : 'pending', userId, entitlements: await listFor(userId) };
    },

    /** One outbox pass: retries every due operation. Runs under the cluster lease. */
    async retryDue(limit = 100) {
      const due = (await entitlements().findMany({
        where: { pendingOperation: { $notNull: true }, nextAttemptAt: { $lte: new Date() } },
        orderBy: { nextAttemptAt: 'asc' },
        limit,
      })) as Row[];
      const system: Actor = { type: 'system', id: 'outbox' };
      const authorizations = new Map<string, string[]>();
      for (const row of due) {
        if (row.pendingOperation === 'revoke') {
          await pushRevocation(row.customerKey as string, row.channelKey as string, system).catch(() => undefined);
          continue;
        }
        authorizations.set(row.customerKey as string, [...(authorizations.get(row.customerKey as string) ?? []), row.channelKey as string]);
      }
      for (const [userId, channelIds] of authorizations) {
        await pushAuthorization(userId, channelIds, system).catch(() => undefined);
      }
      return due.length;
    },

    listFor,
  };

  return {
    ...operations,
    authorize: (input: unknown, actor: Actor) => tracked(operations.authorize(input, actor)),
    revoke: (input: unknown, actor: Actor) => tracked(operations.revoke(input, actor)),
    retryDue: (limit?: number) => tracked(operations.retryDue(limit)),

    /** On shutdown (upstream calls already aborted): waits at most `graceMs` for operations in flight to settle. */
    async settle(graceMs: number) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
    },
  };
};
