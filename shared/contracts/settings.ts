/** The admin's Settings page: read, update, test the connection. */
import { z } from 'zod';
import { adminReply, type RouteContract } from './common';
import { isCronRule } from './cron-rule';
import { REMINDER_LOCALES, REMINDER_PLACEHOLDERS, unknownPlaceholders } from './reminders';

export const ENVIRONMENTS = ['test', 'production'] as const;
export const environmentSchema = z.enum(ENVIRONMENTS);
export type OsteocomEnvironment = z.infer<typeof environmentSchema>;

export const cronRuleSchema = z
  .string()
  .trim()
  .max(120)
  .refine(
    isCronRule,
    'must be a cron rule of 5 or 6 fields, each in its range, e.g. "0 */6 * * *"'
  );

export const timezoneSchema = z
  .string()
  .trim()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone, e.g. "Europe/Rome"');

/** An ISO 4217 currency code the runtime knows (its `Intl` formats prices in it), e.g. "EUR". */
export const currencySchema = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code of three capital letters, e.g. "EUR"')
  .refine(
    (code) => Intl.supportedValuesOf('currency').includes(code),
    'must be an ISO 4217 currency code, e.g. "EUR"'
  );

export const DEFAULT_CURRENCY = 'EUR';

/** Reminders: how many days before an access ends (0: off), the email's language and template, the owner's digest address. */
export const DEFAULT_REMINDER_DAYS = 7;
export const reminderDaysSchema = z.int().min(0).max(365);
export const reminderLocaleSchema = z.enum(REMINDER_LOCALES);
const reminderTemplateSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (template) => unknownPlaceholders(template).length === 0,
      `may only use the placeholders ${REMINDER_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ')}`
    )
    .nullable();

const nullableText = (max: number) => z.string().trim().min(1).max(max).nullable();

export const PLAYER_URL_TOKEN_MESSAGE = 'must contain the {token} placeholder';

/**
 * Placeholders the front end fills: the player URL must carry the video id and the token. From
 * the admin, the server also requires a public https host (PLAYER_URL_NOT_ALLOWED): the tokens go there.
 */
export const playerUrlTemplateSchema = z
  .string()
  .trim()
  .max(500)
  .refine((template) => template.includes('{token}'), PLAYER_URL_TOKEN_MESSAGE)
  .refine((template) => /^https?:\/\//.test(template), 'must start with http:// or https://');

/** What the admin may change in Settings. `null` clears a stored value. */
export const settingsUpdateSchema = z
  .object({
    environment: environmentSchema,
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .max(300)
      .nullable(),
    clientId: nullableText(200),
    clientSecret: nullableText(500),
    syncEnabled: z.boolean(),
    syncCron: cronRuleSchema,
    syncTz: timezoneSchema,
    playerUrlTemplate: playerUrlTemplateSchema.nullable(),
    /** Whether the Osteocom account requires every customer's email (its marketing consent is on). */
    emailRequired: z.boolean(),
    /** The currency of the stored prices (in its smallest unit), for showing them and the reports. */
    currency: currencySchema,
    /** Days before an access ends that its reminder goes (event, and email when the email plugin is configured); 0 turns reminders off. */
    reminderDays: reminderDaysSchema,
    /** The language of the reminder emails' default template and dates. */
    reminderLocale: reminderLocaleSchema,
    /** The customer email's subject and body; null: the default of `reminderLocale`. */
    reminderSubject: reminderTemplateSchema(200),
    reminderBody: reminderTemplateSchema(5000),
    /** The `{{siteName}}` of the emails; null: the sender name of the email plugin. */
    siteName: z.string().trim().min(1).max(120).nullable(),
    /** Where the daily digest of accesses ending soon goes; null: no digest. */
    reminderDigestEmail: z.email().max(254).nullable(),
  })
  .partial()
  .strict();

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
export type SettingKey = keyof SettingsUpdate;

/** The settings in effect: config/plugins.ts over the stored values over the defaults; the secret only as "set". */
export const settingsValuesSchema = z.object({
  environment: environmentSchema,
  baseUrl: z.string().nullable(),
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean(),
  syncEnabled: z.boolean(),
  syncCron: z.string(),
  syncTz: z.string(),
  playerUrlTemplate: z.string().nullable(),
  /** The Osteocom account requires every customer's email (its marketing consent is enabled). */
  emailRequired: z.boolean(),
  currency: z.string(),
  reminderDays: z.int(),
  reminderLocale: reminderLocaleSchema,
  reminderSubject: z.string().nullable(),
  reminderBody: z.string().nullable(),
  siteName: z.string().nullable(),
  reminderDigestEmail: z.string().nullable(),
  /** Whether Strapi's email plugin is configured with a provider, so reminders also go by email (read-only). */
  reminderEmailAvailable: z.boolean(),
});
export type SettingsValues = z.infer<typeof settingsValuesSchema>;

/** Where a value in effect comes from: config/plugins.ts or an OSTEOCOM_* variable, an admin in Settings, or the default. */
export const settingSourceSchema = z.enum(['config', 'admin', 'default']);
export type SettingSource = z.infer<typeof settingSourceSchema>;

/** `locked`: the keys config/plugins.ts sets (shown, not editable); `sources`: where each value comes from. */
const settingsSchema = z.object({
  values: settingsValuesSchema,
  locked: z.array(settingsUpdateSchema.keyof()),
  sources: z.record(settingsUpdateSchema.keyof(), settingSourceSchema),
});
/** `GET /osteocom/settings` */
export const getSettings = {
  reply: adminReply(settingsSchema),
  errors: {},
} satisfies RouteContract;
export type SettingsReply = z.infer<typeof getSettings.reply>['data'];

/** `PUT /osteocom/settings`: `meta.secretCleared` when a host change dropped the stored secret. */
export const updateSettings = {
  body: settingsUpdateSchema,
  reply: adminReply(settingsSchema).extend({ meta: z.object({ secretCleared: z.boolean() }) }),
  errors: { 400: ['VALIDATION_ERROR', 'BASE_URL_NOT_ALLOWED', 'PLAYER_URL_NOT_ALLOWED'] },
} satisfies RouteContract;

export const connectionTestSchema = z.object({
  ok: z.literal(true),
  environment: environmentSchema,
  baseUrl: z.string().optional(),
  latencyMs: z.int(),
});

/** `POST /osteocom/settings/test-connection`: a login at Osteocom with the settings in effect. */
export const testConnection = {
  reply: adminReply(connectionTestSchema),
  errors: {
    502: ['UPSTREAM_UNAUTHORIZED', 'UPSTREAM_REJECTED', 'UPSTREAM_INVALID_RESPONSE'],
    503: ['UPSTREAM_UNAVAILABLE', 'NOT_CONFIGURED'],
  },
} satisfies RouteContract;
export type ConnectionTest = z.infer<typeof testConnection.reply>['data'];
