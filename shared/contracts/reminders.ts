/**
 * Expiring-access reminders: the placeholders an email template may use and the default templates,
 * in each language the plugin ships. Shared by the server (it renders and sends them) and the
 * admin (Settings shows the defaults an empty field stands for).
 */
export const REMINDER_LOCALES = ['en', 'it'] as const;
export type ReminderLocale = (typeof REMINDER_LOCALES)[number];

/**
 * How an access's reminder ended: `claimed` while it is being sent (a server that died then leaves
 * it so: never a reminder twice), `sent` emailed, `failed` the email failed (not retried),
 * `no-email` the customer has no address, `email-off` Strapi's email plugin is not configured (the
 * `access.expiring` event only).
 */
export const REMINDER_OUTCOMES = ['claimed', 'sent', 'failed', 'no-email', 'email-off'] as const;
export type ReminderOutcome = (typeof REMINDER_OUTCOMES)[number];

/** What `{{…}}` a template may hold: anything else is refused when saved. */
export const REMINDER_PLACEHOLDERS = ['name', 'surname', 'channel', 'accessUntil', 'daysLeft', 'siteName'] as const;
export type ReminderPlaceholder = (typeof REMINDER_PLACEHOLDERS)[number];

export const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The placeholders a template uses that do not exist. */
export const unknownPlaceholders = (template: string): string[] =>
  [...template.matchAll(PLACEHOLDER_PATTERN)].map((match) => match[1]).filter((name) => !(REMINDER_PLACEHOLDERS as readonly string[]).includes(name));

export interface ReminderTemplate {
  subject: string;
  body: string;
}

export const DEFAULT_REMINDER_TEMPLATES: Record<ReminderLocale, ReminderTemplate> = {
  en: {
    subject: 'Your access to {{channel}} ends on {{accessUntil}}',
    body: 'Hello {{name}},\n\nyour access to "{{channel}}" on {{siteName}} ends on {{accessUntil}} ({{daysLeft}} days from now).\nRenew it before then to keep watching.\n\n{{siteName}}',
  },
  it: {
    subject: 'Il tuo accesso a {{channel}} scade il {{accessUntil}}',
    body: 'Ciao {{name}},\n\nil tuo accesso a "{{channel}}" su {{siteName}} scade il {{accessUntil}} (tra {{daysLeft}} giorni).\nRinnovalo prima di allora per continuare a guardare.\n\n{{siteName}}',
  },
};

/** The owner's daily digest (not editable): its subject and the line per access. */
export const DIGEST_TEMPLATES: Record<ReminderLocale, { subject: string; intro: string; line: string }> = {
  en: {
    subject: '{{count}} accesses on {{siteName}} end within {{days}} days',
    intro: 'These accesses end within {{days}} days:',
    line: '- {{accessUntil}}: {{channel}} (customer {{userId}})',
  },
  it: {
    subject: '{{count}} accessi su {{siteName}} scadono entro {{days}} giorni',
    intro: 'Questi accessi scadono entro {{days}} giorni:',
    line: '- {{accessUntil}}: {{channel}} (cliente {{userId}})',
  },
};

/** Fills `{{name}}`-style placeholders from `values`; an unknown one stays as written. */
export const fillPlaceholders = (template: string, values: Record<string, string>): string =>
  template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (name in values ? values[name] : whole));
