import { z } from 'zod';
import { environmentSchema } from '../config/schema';

const CRON_FIELD = /^[\d*/,\-?LW#A-Za-z]+$/;

/** Second, minute, hour, day of month, month, day of week (0 and 7 are Sunday). */
const CRON_RANGES: [number, number][] = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const CRON_NAMES: Record<number, string[]> = {
  4: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  5: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
/** Quartz extras the scheduler understands: last day (L), weekday (W), nth weekday (#). */
const CRON_SPECIAL: Record<number, RegExp> = {
  3: /^(\?|L|LW|L-\d{1,2}|\d{1,2}W)$/,
  5: /^(\?|L|([0-7]|[A-Z]{3})(L|#[1-5]))$/,
};

const cronValue = (text: string, field: number): number | undefined => {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    const [min, max] = CRON_RANGES[field];
    return value >= min && value <= max ? value : undefined;
  }
  const index = CRON_NAMES[field]?.indexOf(text.toUpperCase()) ?? -1;
  return index === -1 ? undefined : index + (field === 4 ? 1 : 0);
};

/** One comma-separated item of a field: `*`, a value or a range, with an optional `/step`. */
const validCronItem = (item: string, field: number) => {
  const [range, step, ...rest] = item.split('/');
  if (rest.length || (step !== undefined && !(/^\d{1,2}$/.test(step) && Number(step) >= 1))) return false;
  if (range === '*' || CRON_SPECIAL[field]?.test(range.toUpperCase())) return true;
  const bounds = range.split('-').map((bound) => cronValue(bound, field));
  if (bounds.length > 2 || bounds.some((bound) => bound === undefined)) return false;
  return bounds.length === 1 || bounds[0]! <= bounds[1]!;
};

/** Every field in its range: a rule the scheduler would refuse is refused here, not stored. */
const validCronRule = (rule: string) => {
  const fields = rule.split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((field) => CRON_FIELD.test(field))) return false;
  const offset = 6 - fields.length;
  return fields.every((field, i) => field.split(',').every((item) => validCronItem(item, i + offset)));
};

export const cronRuleSchema = z
  .string()
  .trim()
  .max(120)
  .refine(validCronRule, 'must be a cron rule of 5 or 6 fields, each in its range, e.g. "0 */6 * * *"');

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
