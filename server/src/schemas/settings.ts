import { z } from 'zod';
import { environmentSchema } from '../config/schema';
import { isCronRule } from '../utils/cron-rule';

export const cronRuleSchema = z
  .string()
  .trim()
  .max(120)
  .refine(isCronRule, 'must be a cron rule of 5 or 6 fields, each in its range, e.g. "0 */6 * * *"');

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

const nullableText = (max: number) => z.string().trim().min(1).max(max).nullable();

/** Placeholders the front end fills: the player URL must carry the video id and the token. */
export const playerUrlTemplateSchema = z
  .string()
  .trim()
  .max(500)
  .refine((template) => template.includes('{token}'), 'must contain the {token} placeholder')
  .refine((template) => /^https?:\/\//.test(template), 'must start with http:// or https://');

/** What the admin may change in Settings. `null` clears a stored value. */
export const settingsUpdateSchema = z
  .object({
    environment: environmentSchema,
    baseUrl: z.url({ protocol: /^https?$/ }).max(300).nullable(),
    clientId: nullableText(200),
    clientSecret: nullableText(500),
    syncEnabled: z.boolean(),
    syncCron: cronRuleSchema,
    syncTz: timezoneSchema,
    playerUrlTemplate: playerUrlTemplateSchema.nullable(),
    /** Whether the Osteocom account requires every customer's email (its marketing consent is on). */
    emailRequired: z.boolean(),
  })
  .partial()
  .strict();

export type SettingsUpdate = z.infer<typeof settingsUpdateSchema>;
export type SettingKey = keyof SettingsUpdate;

/** What is kept in the store: the secret only in encrypted form. */
export const storedSettingsSchema = settingsUpdateSchema
  .omit({ clientSecret: true })
  .extend({ clientSecretEncrypted: z.string().nullable().optional() });

export type StoredSettings = z.infer<typeof storedSettingsSchema>;
