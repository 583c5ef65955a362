import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../errors';
import { createAuditEventRepository, type AuditEventRow } from '../repositories/audit-event-repository';
import { createChannelRepository } from '../repositories/channel-repository';
import { createCustomerRepository } from '../repositories/customer-repository';
import { createEntitlementRepository } from '../repositories/entitlement-repository';
import type { Actor } from '../utils/actor';
import { getService } from '../utils/get-service';

/** What stands where a personal value was. */
export const ERASED = '[erased]';
/** Detail keys under which an audit event carries a person's data: blanked wherever they appear. */
const PERSONAL_KEYS = new Set(['email', 'name', 'surname']);
const FIELDS = ['email', 'name', 'surname'] as const;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The customer's values as they may be quoted in free text (an upstream refusal that names the
 * customer): the email anywhere, a name as a whole word (so "Al" leaves "All" alone), any case.
 * Null when there is nothing to look for.
 */
export const personalPattern = (values: { email?: string | null; name?: string | null; surname?: string | null }) => {
  const email = values.email?.trim() ? [escapeRegExp(values.email.trim())] : [];
  const words = [values.name, values.surname].filter((value): value is string => Boolean(value?.trim())).map((value) => `(?<![\\p{L}\\p{N}])${escapeRegExp(value.trim())}(?![\\p{L}\\p{N}])`);
  const parts = [...email, ...words];
  return parts.length ? new RegExp(parts.join('|'), 'giu') : null;
};

/** A copy of audit `details` with personal keys blanked and personal values masked in every string, at any depth. */
export const scrubDetails = (value: unknown, pattern: RegExp | null): unknown => {
  if (typeof value === 'string') return pattern ? value.replace(pattern, ERASED) : value;
  if (Array.isArray(value)) return value.map((item) => scrubDetails(item, pattern));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, PERSONAL_KEYS.has(key) ? null : scrubDetails(item, pattern)]));
  }
  return value;
};

/**
 * GDPR requests about one customer: export (art. 15) and erasure (art. 17). Entitlements are
 * data about what was sold, not about the person: an erasure keeps them, so access goes on.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const channels = createChannelRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const entitlements = createEntitlementRepository(strapi);
  const events = createAuditEventRepository(strapi);

  const notFound = (userId: string) => new OsteocomError('CUSTOMER_NOT_FOUND', `No customer "${userId}".`);

  /** An event as the customer may read it: who else acted (an admin's id, a token's name) is not theirs to get. */
  const exportedEvent = (event: AuditEventRow) => ({
    action: event.action,
    outcome: event.outcome,
    actorType: event.actorType,
    channelKey: event.channelKey ?? null,
    details: event.details ?? {},
    createdAt: event.createdAt,
  });

  /** Masks personal values in every event about the customer; returns how many changed. */
  const scrubEvents = async (userId: string, pattern: RegExp | null) => {
    let changed = 0;
    for await (const page of events.allAbout(userId)) {
      for (const event of page) {
        const details = scrubDetails(event.details ?? {}, pattern) as Record<string, unknown>;
        if (isDeepStrictEqual(details, event.details ?? {})) continue;
        await events.setDetails(event.id, details);
        changed += 1;
      }
    }
    return changed;
  };

  /** Upstream refusals are stored as Osteocom worded them, which may quote the customer. */
  const scrubErrors = async (userId: string, pattern: RegExp | null) => {
    if (!pattern) return 0;
    let changed = 0;
    for (const row of await entitlements.errorsOf(userId)) {
      const next = row.lastError.replace(pattern, ERASED);
      if (next !== row.lastError && (await entitlements.replaceLastError(row.id, row.lastError, next))) changed += 1;
    }
    return changed;
  };

  return {
    /** Everything the plugin holds about the customer; never the access key or another secret. */
    async export(userId: string) {
      const customer = await customers.findVisible(userId);
      if (!customer) throw notFound(userId);
      const rows = await entitlements.listFor(userId);
      const titles = await channels.titles(rows.map((row) => row.channelKey));
      const auditEvents = [];
      for await (const page of events.allAbout(userId)) auditEvents.push(...page.map(exportedEvent));
      return {
        exportedAt: new Date().toISOString(),
        customer,
        entitlements: rows.map((row) => ({ ...row, channelTitle: titles.get(row.channelKey) ?? null })),
        auditEvents,
      };
    },

    /**
     * Blanks email, name and surname in the customer row and wherever the plugin repeated them
     * (audit details, stored upstream errors), then records the erasure without any of them.
     * The row's values are read first and blanked last: an erasure cut short by a crash leaves
     * them in place to be found again, and repeating it finishes the work. Repeated once done,
     * it changes nothing and records nothing.
     */
    async erase(userId: string, actor: Actor) {
      const customer = await customers.find(userId);
      if (!customer) throw notFound(userId);
      const pattern = personalPattern(customer);
      const auditEvents = await scrubEvents(userId, pattern);
      const entitlementErrors = await scrubErrors(userId, pattern);
      const blank = FIELDS.every((field) => customer[field] === null);
      if (blank && customer.erasedAt && !auditEvents && !entitlementErrors) {
        return { userId, erasedAt: new Date(customer.erasedAt).toISOString(), changed: false };
      }
      // Recorded before the row is blanked: a failed audit write leaves the erasure to be repeated, never done unrecorded.
      await getService(strapi, 'audit').record({ action: 'erase', outcome: 'success', actor, subjectUserId: userId, details: { fields: [...FIELDS], auditEvents, entitlementErrors } });
      const erasedAt = new Date();
      await customers.erase(customer.id, erasedAt);
      strapi.log.info('[osteocom] personal data erased', { auditEvents, entitlementErrors });
      return { userId, erasedAt: erasedAt.toISOString(), changed: true };
    },
  };
};
