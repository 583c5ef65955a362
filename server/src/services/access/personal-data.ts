import { isDeepStrictEqual } from 'node:util';
import type { Core } from '@strapi/strapi';
import { OsteocomError } from '../../errors';
import { createAuditEventRepository, type AuditEventRow } from '../../repositories/audit-event-repository';
import { createChannelRepository } from '../../repositories/channel-repository';
import { PERSONAL_FIELDS, createCustomerRepository, type CustomerRow } from '../../repositories/customer-repository';
import { createEntitlementRepository } from '../../repositories/entitlement-repository';
import type { Actor } from '../../utils/actor';
import { getService } from '../../utils/get-service';

/** What stands where a personal value was. */
export const ERASED = '[erased]';
/** Detail keys under which an audit event carries a person's data: blanked wherever they appear. */
const PERSONAL_KEYS = new Set(['email', 'name', 'surname']);
const FIELDS = PERSONAL_FIELDS;
/** Times an erasure looks again when a purchase changed the customer while it masked their values. */
const MAX_RACES = 5;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Personal values to look for: each field's current value, or every value it ever had. */
type PersonalValues = Partial<Record<(typeof FIELDS)[number], string | null | undefined | (string | null | undefined)[]>>;

const present = (value: PersonalValues[keyof PersonalValues]) =>
  [value ?? []].flat().map((each) => each?.trim() ?? '').filter(Boolean);

/**
 * The customer's values as they may be quoted in free text (an upstream refusal that names the
 * customer): the emails anywhere, names as whole words (so "Al" leaves "All" alone), any case,
 * longest first (so "Carol Ann" is masked whole, not as "Carol"). Null when there is nothing to look for.
 */
export const personalPattern = (values: PersonalValues) => {
  const emails = present(values.email).map((email) => ({ text: email, source: escapeRegExp(email) }));
  const words = [...present(values.name), ...present(values.surname)].map((word) => ({ text: word, source: `(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])` }));
  const parts = [...emails, ...words].sort((a, b) => b.text.length - a.text.length).map((part) => part.source);
  return parts.length ? new RegExp(parts.join('|'), 'giu') : null;
};

/** Every value the customer has or had, per field. */
const everyValue = (customer: CustomerRow): PersonalValues =>
  Object.fromEntries(FIELDS.map((field) => [field, [customer[field], ...(customer.earlierValues?.[field] ?? [])]]));

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

  /**
   * An erasure waits for the customer's purchases still on their way to Osteocom (in the outbox
   * after a 5xx, or in flight): each is sent with the stored email, name and surname, and one sent
   * without the email an account requires is refused for good, so the paid access would end
   * `failed`. Refused rather than deferred: the admin is told plainly that nothing was erased yet
   * (a deferred erasure would answer "done" while the data is still held, for as long as Osteocom
   * is down), and repeating it once the purchase settled (or after a re-send) does the whole work.
   * Refunds need no personal data, so they never hold an erasure up. Checked first, to spare the
   * masking, and again by the blanking write itself: a purchase recorded in between refuses it too.
   */
  const refuseWhilePending = async (userId: string) => {
    const pending = await entitlements.pendingAuthorizationsOf(userId);
    if (!pending.length) return;
    throw new OsteocomError(
      'PENDING_OPERATIONS',
      `Customer "${userId}" has purchases still waiting to reach Osteocom (${pending.join(', ')}); nothing was erased. Erase again once they are confirmed (Entitlements, Needs attention).`,
      { details: { pending: pending.map((channelId) => ({ operation: 'authorize', channelId })) } }
    );
  };

  return {
    /**
     * Everything the plugin holds about the customer, earlier values included; never the access key
     * or another secret. Audited once read and before it is handed out (who exported whose data: the
     * actor and the customer's userId, nothing of the data itself): an export whose record fails is
     * not handed out; the file lists the events up to this export.
     */
    async export(userId: string, actor: Actor) {
      const customer = await customers.findVisible(userId);
      if (!customer) throw notFound(userId);
      const rows = await entitlements.listFor(userId);
      const titles = await channels.titles(rows.map((row) => row.channelKey));
      const auditEvents = [];
      for await (const page of events.allAbout(userId)) auditEvents.push(...page.map(exportedEvent));
      const earlierValues = await customers.earlierValuesOf(userId);
      await getService(strapi, 'audit').record({ action: 'export-personal-data', outcome: 'success', actor, subjectUserId: userId });
      return {
        exportedAt: new Date().toISOString(),
        customer: { ...customer, earlierValues },
        entitlements: rows.map((row) => ({ ...row, channelTitle: titles.get(row.channelKey) ?? null })),
        auditEvents,
      };
    },

    /**
     * Blanks email, name and surname, current and earlier, in the customer row and wherever the
     * plugin repeated any of them (audit details, stored upstream errors), then records the erasure
     * without any of them. The row's values are read first and blanked last: an erasure cut short
     * by a crash leaves them in place to be found again, and repeating it finishes the work; a
     * purchase that changed them meanwhile makes it look again. Repeated once done, it changes
     * nothing and records nothing.
     */
    async erase(userId: string, actor: Actor) {
      let recorded = false;
      for (let attempt = 0; attempt < MAX_RACES; attempt += 1) {
        const customer = await customers.find(userId);
        if (!customer) throw notFound(userId);
        await refuseWhilePending(userId);
        const pattern = personalPattern(everyValue(customer));
        const auditEvents = await scrubEvents(userId, pattern);
        const entitlementErrors = await scrubErrors(userId, pattern);
        const blank = FIELDS.every((field) => customer[field] === null && !customer.earlierValues?.[field]?.length);
        if (blank && customer.erasedAt && !auditEvents && !entitlementErrors) {
          return { userId, erasedAt: new Date(customer.erasedAt).toISOString(), changed: false };
        }
        // Recorded before the row is blanked: a failed audit write leaves the erasure to be repeated, never done unrecorded.
        if (!recorded) {
          await getService(strapi, 'audit').record({ action: 'erase', outcome: 'success', actor, subjectUserId: userId, details: { fields: [...FIELDS], auditEvents, entitlementErrors } });
          recorded = true;
        }
        const erasedAt = new Date();
        if (!(await customers.erase(customer, erasedAt, entitlements.pendingAuthorizationQuery(userId)))) {
          await refuseWhilePending(userId).catch(async (error: unknown) => {
            // The success recorded above did not happen: the record says so.
            await getService(strapi, 'audit').record({ action: 'erase', outcome: 'failure', actor, subjectUserId: userId, details: { code: 'PENDING_OPERATIONS' } });
            throw error;
          });
          continue;
        }
        strapi.log.info(`[osteocom] personal data erased: ${auditEvents} audit event(s) and ${entitlementErrors} upstream error(s) masked`);
        return { userId, erasedAt: erasedAt.toISOString(), changed: true };
      }
      throw new OsteocomError('INTERNAL_ERROR', 'The customer kept changing while their data was erased; try again.');
    },
  };
};
