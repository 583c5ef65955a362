import { z } from 'zod';
import { parseKeyList } from './encryption-keys';

import { currencySchema, environmentSchema, reminderDaysSchema, reminderLocaleSchema, type OsteocomEnvironment } from '../../../shared/contracts/settings';

export { environmentSchema, type OsteocomEnvironment };

const positiveInt = z.number().int().positive();

/**
 * `userIdField` picks the users-permissions attribute that identifies a customer on Osteocom;
 * a function may derive it instead (e.g. from a custom field).
 */
const userIdFieldSchema = z.union([
  z.string().min(1),
  z.custom<(user: Record<string, unknown>) => string>((value) => typeof value === 'function', {
    message: 'must be an attribute name or a function (user) => string',
  }),
]);

const encryptionKeySchema = z.union([z.string(), z.array(z.string()).min(1)]).superRefine((value, ctx) => {
  for (const message of parseKeyList(value).problems) ctx.addIssue({ code: 'custom', message });
});

/**
 * The plugin configuration, as given in `config/plugins.ts` (merged over the defaults).
 * Keys the admin can also edit in Settings (environment, baseUrl, clientId, clientSecret,
 * sync.enabled/cron/tz, videoToken.playerUrlTemplate) are optional here: when set, they win
 * and show as locked in the admin.
 */
export const pluginConfigSchema = z
  .object({
    environment: environmentSchema.optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    /** One key, or several newest first (comma-separated, or an array): see encryption-keys.ts. */
    encryptionKey: encryptionKeySchema.optional(),
    /** The Osteocom account has marketing consent enabled, so Osteocom requires every customer's email. */
    emailRequired: z.boolean().optional(),
    /** ISO 4217 code of the stored prices; default EUR (Settings). */
    currency: currencySchema.optional(),
    http: z
      .object({
        timeoutMs: positiveInt,
        maxAttempts: positiveInt.max(10),
        backoffBaseMs: z.number().int().nonnegative(),
        backoffMaxMs: positiveInt,
        /** The longest Retry-After honoured, by in-call retries and by the outbox; longer advice is cut to this. */
        retryAfterMaxSeconds: positiveInt,
      })
      .strict(),
    token: z
      .object({
        refreshMarginSeconds: z.number().int().nonnegative(),
        fallbackTtlSeconds: positiveInt,
      })
      .strict(),
    sync: z
      .object({
        enabled: z.boolean().optional(),
        cron: z.string().min(1).optional(),
        tz: z.string().min(1).optional(),
        onStartup: z.boolean(),
        startupDelayMs: z.number().int().nonnegative(),
        maxRemovalRatio: z.number().min(0).max(1),
        chunkSize: positiveInt.max(5000),
        leaseSeconds: positiveInt,
        sqliteBusyTimeoutMs: positiveInt.optional(),
      })
      .strict(),
    outbox: z
      .object({
        cron: z.string().min(1),
        /** No longer used (transient failures are retried until they succeed); accepted so existing configs still start. */
        maxAttempts: positiveInt.optional(),
        backoffBaseSeconds: positiveInt,
        backoffMaxSeconds: positiveInt,
        /** After this long unconfirmed, an operation raises an alert and is listed as needing attention. */
        alertAfterSeconds: positiveInt,
        /** How long a pass's cluster lease lasts unrenewed: a server that died mid-pass is taken over after this. */
        leaseSeconds: positiveInt,
      })
      .strict(),
    keyRotation: z
      .object({
        /** Start the re-encryption pass at boot when secrets on older keys exist. */
        onStartup: z.boolean(),
        /** Also re-encrypt, at boot, secrets on the only configured key in an older format (v1 from 0.1.0): one-way. */
        upgradeLegacy: z.boolean(),
        batchSize: positiveInt.max(5000),
        leaseSeconds: positiveInt,
      })
      .strict(),
    videoToken: z
      .object({
        playerUrlTemplate: z.string().min(1).optional(),
        cacheSize: positiveInt,
        cacheMarginSeconds: z.number().int().nonnegative(),
        /** The token lifetime assumed when Osteocom's answer has no `expiresIn` (optional in the reference). */
        defaultExpiresInSeconds: positiveInt,
        /** `store`: `database` (default) counts in the site's database, shared by every server; `memory` per server. */
        rateLimit: z.object({ max: positiveInt, windowSeconds: positiveInt, store: z.enum(['database', 'memory']) }).strict(),
      })
      .strict(),
    reminders: z
      .object({
        /** How often each server looks for accesses to remind (every server runs it; a claim per access keeps it to one reminder). */
        cron: z.string().min(1),
        /** Set here, these win over Settings (shown locked there). */
        days: reminderDaysSchema.optional(),
        locale: reminderLocaleSchema.optional(),
        digestEmail: z.email().optional(),
        /**
         * Strapi's email plugin falls back to its `sendmail` provider when the site configured none;
         * reminders are emailed with it only when this is true (a site that chose sendmail on purpose).
         */
        emailWithSendmail: z.boolean(),
      })
      .strict(),
    /** Bulk purchases: how many customers are sent to Osteocom side by side (each customer's rows stay in order). */
    bulk: z.object({ concurrency: positiveInt.max(64) }).strict(),
    userIdField: userIdFieldSchema,
  })
  .strict();

export type PluginConfig = z.infer<typeof pluginConfigSchema>;

/** "Invalid config for plugin "osteocom" …: `sync.cron`: …" — names every bad key. */
export const formatConfigError = (error: z.ZodError): string => {
  const problems = error.issues.map((issue) => {
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    return `\`${key}\`: ${issue.message}`;
  });
  return `Invalid config for plugin "osteocom" (config/plugins.ts or OSTEOCOM_* variables): ${problems.join('; ')}`;
};
