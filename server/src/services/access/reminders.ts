import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  DEFAULT_REMINDER_TEMPLATES,
  DIGEST_TEMPLATES,
  fillPlaceholders,
  type ReminderLocale,
  type ReminderOutcome,
} from '../../../../shared/contracts/reminders';
import type { SettingsValues } from '../../../../shared/contracts/settings';
import { createChannelRepository } from '../../repositories/channel-repository';
import { createCustomerRepository } from '../../repositories/customer-repository';
import { createLeaseRepository } from '../../repositories/lease-repository';
import { createReminderRepository, type DueReminder } from '../../repositories/reminder-repository';
import { emailProvider, type EmailMessage } from '../../utils/email-plugin';
import { getService } from '../../utils/get-service';
import { nextMidnight } from '../../utils/zoned-time';
import { emitAccessExpiring } from '../platform/events';
import { SERVER_ID } from '../platform/lock';

const DAY_MS = 86_400_000;
const BATCH = 100;
/** A bound on one pass (100 × 100 reminders); the next pass goes on where it stopped. */
const MAX_BATCHES = 100;
/** The digest lists at most this many accesses (the admin's Expiring soon lists them all). */
const DIGEST_LIMIT = 500;
const DIGEST_LEASE = 'reminder-digest';

export interface ReminderPass {
  /** Accesses reminded by this server in this pass (one `access.expiring` event each). */
  reminded: number;
  emailed: number;
  failed: number;
  digest: boolean;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
const asMessage = (to: string, subject: string, text: string): EmailMessage => ({
  to,
  subject: subject.replace(/[\r\n]+/g, ' '),
  text,
  html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
});

/** "Strapi" of "Strapi <no-reply@strapi.io>": the sender name of the email plugin. */
const senderName = (from: unknown) => (typeof from === 'string' ? (/^\s*"?([^"<]+?)"?\s*</.exec(from)?.[1] ?? '') : '');

/**
 * Expiring-access reminders. Every server runs the pass (Strapi's cron runs everywhere): each access
 * is claimed in the database before anything is sent (reminder-repository), so one reminder goes per
 * access and end date however many servers run it at once; extending the access arms it again. A
 * claimed reminder announces `access.expiring` and, when Strapi's email plugin is configured, emails
 * the customer; a failed email is recorded, not retried (never a reminder twice).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const reminders = createReminderRepository(strapi);
  const customers = createCustomerRepository(strapi);
  const channels = createChannelRepository(strapi);
  const leases = createLeaseRepository(strapi);

  const formatDate = (iso: number, locale: ReminderLocale, timeZone: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(new Date(iso));

  const siteNameOf = (values: SettingsValues) => values.siteName ?? senderName(strapi.config.get('plugin::email.settings.defaultFrom'));

  const send = (message: EmailMessage) => strapi.plugin('email').service('email').send(message) as Promise<unknown>;

  /** Emails one claimed reminder; the outcome, never the address, is what is kept. */
  const email = async (row: DueReminder, values: SettingsValues, context: { titles: Map<string, string>; profiles: Map<string, { email?: string | null; name?: string | null; surname?: string | null }>; now: Date }): Promise<ReminderOutcome> => {
    const profile = context.profiles.get(row.customerKey);
    if (!profile?.email) return 'no-email';
    const locale = values.reminderLocale;
    const fallback = DEFAULT_REMINDER_TEMPLATES[locale];
    const placeholders = {
      name: profile.name ?? '',
      surname: profile.surname ?? '',
      channel: context.titles.get(row.channelKey) ?? row.channelKey,
      accessUntil: formatDate(row.accessUntil, locale, values.syncTz),
      daysLeft: String(Math.max(0, Math.ceil((row.accessUntil - context.now.getTime()) / DAY_MS))),
      siteName: siteNameOf(values),
    };
    try {
      await send(asMessage(profile.email, fillPlaceholders(values.reminderSubject ?? fallback.subject, placeholders), fillPlaceholders(values.reminderBody ?? fallback.body, placeholders)));
      return 'sent';
    } catch (error) {
      strapi.log.warn(`[osteocom] a reminder email for entitlement ${row.id} failed and is not sent again: ${error instanceof Error ? error.message : String(error)}`);
      return 'failed';
    }
  };

  /** One batch: claims each due access, announces the won ones, emails them. */
  const remindBatch = async (due: DueReminder[], values: SettingsValues, emailOn: boolean, now: Date, pass: ReminderPass) => {
    const won: DueReminder[] = [];
    for (const row of due) if (await reminders.claim(row)) won.push(row);
    if (!won.length) return;
    const [profiles, titles] = emailOn
      ? await Promise.all([customers.profilesOf([...new Set(won.map((row) => row.customerKey))]), channels.titles([...new Set(won.map((row) => row.channelKey))])])
      : [new Map(), new Map<string, string>()];
    for (const row of won) {
      pass.reminded += 1;
      emitAccessExpiring(strapi, row.customerKey, [row.channelKey], { accessUntil: new Date(row.accessUntil).toISOString(), reminderDays: values.reminderDays });
      const outcome = emailOn ? await email(row, values, { profiles, titles, now }) : 'email-off';
      if (outcome === 'sent') pass.emailed += 1;
      if (outcome === 'failed') pass.failed += 1;
      await reminders.record(row, outcome);
    }
  };

  /** The owner's digest: claimed for the day (a lease row held until the next midnight in the site's zone, `syncTz`), then sent. */
  const digest = async (values: SettingsValues, now: Date): Promise<boolean> => {
    const to = values.reminderDigestEmail;
    if (!to || !emailProvider(strapi)) return false;
    const ending = await reminders.ending(now, new Date(now.getTime() + values.reminderDays * DAY_MS), DIGEST_LIMIT);
    if (!ending.length) return false;
    await leases.ensure(DIGEST_LEASE);
    const untilMidnight = nextMidnight(now, values.syncTz) - now.getTime();
    if ((await leases.take(DIGEST_LEASE, `${SERVER_ID}:${randomBytes(4).toString('hex')}`, untilMidnight)) !== 1) return false;
    const locale = values.reminderLocale;
    const template = DIGEST_TEMPLATES[locale];
    const titles = await channels.titles([...new Set(ending.map((row) => row.channelKey))]);
    const common = { siteName: siteNameOf(values), days: String(values.reminderDays), count: String(ending.length) };
    const lines = ending.map((row) =>
      fillPlaceholders(template.line, { accessUntil: formatDate(row.accessUntil, locale, values.syncTz), channel: titles.get(row.channelKey) ?? row.channelKey, userId: row.customerKey })
    );
    try {
      await send(asMessage(to, fillPlaceholders(template.subject, common), [fillPlaceholders(template.intro, common), '', ...lines].join('\n')));
      return true;
    } catch (error) {
      strapi.log.warn(`[osteocom] the daily reminder digest failed and is not sent again today: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  };

  return {
    /** One pass on this server (others may run theirs at the same time): what this server reminded. */
    async runOnce(now = new Date()): Promise<ReminderPass> {
      const pass: ReminderPass = { reminded: 0, emailed: 0, failed: 0, digest: false };
      const { values } = await getService(strapi, 'settings').get({ fresh: true });
      if (values.reminderDays === 0) return pass;
      const emailOn = emailProvider(strapi) !== null;
      const horizon = new Date(now.getTime() + values.reminderDays * DAY_MS);
      for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
        const due = await reminders.due(now, horizon, BATCH);
        if (!due.length) break;
        await remindBatch(due, values, emailOn, now, pass);
      }
      pass.digest = await digest(values, now);
      if (pass.reminded || pass.failed || pass.digest) {
        strapi.log.info(
          `[osteocom] sent ${pass.reminded} expiring reminders, ${pass.emailed} emails, ${pass.failed} failed${emailOn ? '' : ' (email plugin not configured: events only)'}${pass.digest ? ', and the daily digest' : ''}`
        );
      }
      return pass;
    },
  };
};
