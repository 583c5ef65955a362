import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import {
  settingsUpdateSchema,
  type OsteocomEnvironment,
  type SettingKey,
  type SettingSource,
  type SettingsUpdate,
  type SettingsValues,
  DEFAULT_CURRENCY,
  DEFAULT_REMINDER_DAYS,
} from '../../../../shared/contracts/settings';
import type { ReminderLocale } from '../../../../shared/contracts/reminders';
import { emailProvider } from '../../utils/email-plugin';
import type { PluginConfig } from '../../config/schema';
import { OsteocomError } from '../../errors';
import { getService } from '../../utils/get-service';
import type { Connection } from '../osteocom-client';
import {
  assertAllowedBaseUrl,
  assertPublicHttpsUrl,
  isOsteocomHost,
  publicHttpsShapeProblem,
  resolveBaseUrl,
} from '../osteocom-client/transport';

const STORE_KEY = 'settings';
const CACHE_MS = 5_000;

const DEFAULTS = {
  environment: 'test' as OsteocomEnvironment,
  syncEnabled: true,
  syncCron: '0 */6 * * *',
  syncTz: 'UTC',
  emailRequired: false,
  currency: DEFAULT_CURRENCY,
  reminderDays: DEFAULT_REMINDER_DAYS,
  reminderLocale: 'en' as ReminderLocale,
};

/**
 * What is kept in the store: the secret only in encrypted form, with the base URL it was saved
 * for (`clientSecretFor`, absent on secrets saved before it was recorded).
 */
const storedSettingsSchema = settingsUpdateSchema
  .omit({ clientSecret: true })
  .extend({
    clientSecretEncrypted: z.string().nullable().optional(),
    clientSecretFor: z.string().nullable().optional(),
  });
type StoredSettings = z.infer<typeof storedSettingsSchema>;

/** Each editable setting and where config/plugins.ts (or an OSTEOCOM_* variable) sets it. */
const fromConfig = (config: PluginConfig): Record<SettingKey, unknown> => ({
  environment: config.environment,
  baseUrl: config.baseUrl,
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  syncEnabled: config.sync.enabled,
  syncCron: config.sync.cron,
  syncTz: config.sync.tz,
  playerUrlTemplate: config.videoToken.playerUrlTemplate,
  emailRequired: config.emailRequired,
  currency: config.currency,
  reminderDays: config.reminders.days,
  reminderLocale: config.reminders.locale,
  reminderSubject: undefined,
  reminderBody: undefined,
  siteName: undefined,
  reminderDigestEmail: config.reminders.digestEmail,
});

/** A base URL an admin typed that is not one of Osteocom's own hosts. */
const isForeignUrl = (baseUrl: string | null | undefined): baseUrl is string =>
  Boolean(baseUrl) && !isOsteocomHost(baseUrl as string);

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
};

/** Whether an update points the client at another host than the stored settings did. */
const movesHost = (stored: StoredSettings, update: SettingsUpdate) =>
  ('environment' in update &&
    update.environment !== (stored.environment ?? DEFAULTS.environment)) ||
  ('baseUrl' in update && (update.baseUrl ?? null) !== (stored.baseUrl ?? null));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY });
  const configured = () => fromConfig(strapi.config.get('plugin::osteocom') as PluginConfig);

  let cache: { at: number; value: StoredSettings } | undefined;

  /**
   * A secret and its URL travel together: the operator's secret (config/env) never goes to a base
   * URL an admin typed, even one saved before the operator set it. Such a URL is dropped from the
   * store with the admin's secret saved for it, and the client calls the environment's Osteocom host.
   */
  const dropForeignUrl = async (stored: StoredSettings): Promise<StoredSettings> => {
    const cfg = configured();
    if (
      cfg.clientSecret === undefined ||
      cfg.baseUrl !== undefined ||
      !isForeignUrl(stored.baseUrl)
    )
      return stored;
    const next: StoredSettings = {
      ...stored,
      baseUrl: null,
      clientSecretEncrypted: null,
      clientSecretFor: null,
    };
    await store().set({ value: next });
    strapi.log.warn(
      `[osteocom] the base URL typed in Settings (${originOf(stored.baseUrl)}) was cleared with the secret saved for it: the client secret comes from config/plugins.ts or OSTEOCOM_CLIENT_SECRET, which is only ever sent to OSTEOCOM_BASE_URL or to Osteocom's own host. Set OSTEOCOM_BASE_URL to use another endpoint.`
    );
    return next;
  };

  /**
   * A player URL an admin saved before the rule (http://, a private address): every viewer's token
   * would go there, so it is dropped from the store, with a warning, and no player URL is given.
   */
  const dropUnsafePlayerUrl = async (stored: StoredSettings): Promise<StoredSettings> => {
    if (configured().playerUrlTemplate !== undefined || !stored.playerUrlTemplate) return stored;
    const problem = publicHttpsShapeProblem(stored.playerUrlTemplate);
    if (!problem) return stored;
    const next: StoredSettings = { ...stored, playerUrlTemplate: null };
    await store().set({ value: next });
    strapi.log.warn(
      `[osteocom] the player URL template typed in Settings was cleared (${problem}): video tokens go there, so an admin may only set a public https:// address; any other belongs in config/plugins.ts (videoToken.playerUrlTemplate).`
    );
    return next;
  };

  const readStored = async (fresh = false): Promise<StoredSettings> => {
    if (!fresh && cache && Date.now() - cache.at < CACHE_MS) return cache.value;
    const raw = await store().get({});
    const parsed = storedSettingsSchema.safeParse(raw ?? {});
    if (!parsed.success) strapi.log.warn('[osteocom] stored settings are invalid and were ignored');
    const value = await dropUnsafePlayerUrl(
      await dropForeignUrl(parsed.success ? parsed.data : {})
    );
    cache = { at: Date.now(), value };
    return value;
  };

  const lockedKeys = (): SettingKey[] =>
    (Object.entries(configured()) as [SettingKey, unknown][])
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key);

  /** Where each value in effect comes from, so the admin knows whose secret goes where. */
  const sourcesOf = (stored: StoredSettings): Record<SettingKey, SettingSource> => {
    const cfg = configured();
    const storedValue = (key: SettingKey) =>
      key === 'clientSecret' ? stored.clientSecretEncrypted : stored[key];
    const sourceOf = (key: SettingKey): SettingSource => {
      if (cfg[key] !== undefined) return 'config';
      return storedValue(key) === undefined || storedValue(key) === null ? 'default' : 'admin';
    };
    return Object.fromEntries(
      (Object.keys(cfg) as SettingKey[]).map((key) => [key, sourceOf(key)])
    ) as Record<SettingKey, SettingSource>;
  };

  const pick = <T>(configValue: T | undefined, stored: T | null | undefined, fallback: T): T =>
    configValue ?? stored ?? fallback;

  const effective = async (fresh = false): Promise<SettingsValues & { stored: StoredSettings }> => {
    const stored = await readStored(fresh);
    const cfg = configured() as Record<SettingKey, never>;
    return {
      environment: pick(cfg.environment, stored.environment, DEFAULTS.environment),
      baseUrl: pick<string | null>(cfg.baseUrl, stored.baseUrl, null),
      clientId: pick<string | null>(cfg.clientId, stored.clientId, null),
      clientSecretSet: Boolean(cfg.clientSecret ?? stored.clientSecretEncrypted),
      syncEnabled: pick(cfg.syncEnabled, stored.syncEnabled, DEFAULTS.syncEnabled),
      syncCron: pick(cfg.syncCron, stored.syncCron, DEFAULTS.syncCron),
      syncTz: pick(cfg.syncTz, stored.syncTz, DEFAULTS.syncTz),
      playerUrlTemplate: pick<string | null>(cfg.playerUrlTemplate, stored.playerUrlTemplate, null),
      emailRequired: pick(cfg.emailRequired, stored.emailRequired, DEFAULTS.emailRequired),
      currency: pick(cfg.currency, stored.currency, DEFAULTS.currency),
      reminderDays: pick(cfg.reminderDays, stored.reminderDays, DEFAULTS.reminderDays),
      reminderLocale: pick(cfg.reminderLocale, stored.reminderLocale, DEFAULTS.reminderLocale),
      reminderSubject: stored.reminderSubject ?? null,
      reminderBody: stored.reminderBody ?? null,
      siteName: stored.siteName ?? null,
      reminderDigestEmail: pick<string | null>(cfg.reminderDigestEmail, stored.reminderDigestEmail, null),
      reminderEmailAvailable: emailProvider(strapi) !== null,
      stored,
    };
  };

  /** Where the client would send the secret with these settings: the base URL, else the environment's host. */
  const destinationOf = (settings: StoredSettings) => {
    const cfg = configured() as Record<SettingKey, never>;
    const environment = pick<OsteocomEnvironment>(
      cfg.environment,
      settings.environment,
      DEFAULTS.environment
    );
    return resolveBaseUrl(
      environment,
      pick<string | null>(cfg.baseUrl, settings.baseUrl, null) ?? undefined
    );
  };

  /**
   * The secret an admin saved, only for the URL it was saved for. One saved before the URL was
   * recorded is taken as saved for where it goes now (admins could not move it since: a host
   * change drops it) and recorded so.
   */
  const storedSecretFor = async (
    stored: StoredSettings,
    destination: string
  ): Promise<string | undefined> => {
    if (!stored.clientSecretEncrypted) return undefined;
    if (!stored.clientSecretFor) {
      await store().set({ value: { ...stored, clientSecretFor: destination } });
      cache = undefined;
    } else if (stored.clientSecretFor !== destination) {
      throw new OsteocomError(
        'NOT_CONFIGURED',
        `The client secret saved in Settings was saved for ${originOf(stored.clientSecretFor)}, but the base URL is now ${originOf(destination)}: type the client secret again in Settings → Osteocom, or set OSTEOCOM_CLIENT_SECRET.`
      );
    }
    return getService(strapi, 'crypto').decrypt(stored.clientSecretEncrypted);
  };

  /**
   * An admin-typed base URL: a public https host (Osteocom's own are known), and never one that
   * would receive a client secret set by the operator in config/plugins.ts or the environment.
   */
  const assertTypedBaseUrl = async (baseUrl: string) => {
    if (isOsteocomHost(baseUrl)) return;
    if (configured().clientSecret !== undefined) {
      throw new OsteocomError(
        'BASE_URL_NOT_ALLOWED',
        'The client secret is set in config/plugins.ts or the environment: set the base URL there too (OSTEOCOM_BASE_URL), not here.'
      );
    }
    await assertAllowedBaseUrl(baseUrl);
  };

  /** Every viewer's video token goes to the player URL: an admin may only name a public https host. */
  const assertTypedPlayerUrl = (template: string) =>
    assertPublicHttpsUrl(
      template,
      (reason) =>
        new OsteocomError(
          'PLAYER_URL_NOT_ALLOWED',
          `This player URL is not allowed: ${reason}. Every viewer's video token is sent there, so an admin may only set a public https:// address; any other must come from config/plugins.ts (videoToken.playerUrlTemplate).`
        )
    );

  return {
    /** The settings as the admin sees them: the secret only as "set" or not, and where each value comes from. */
    async get(options: { fresh?: boolean } = {}) {
      const { stored, ...values } = await effective(options.fresh);
      return { values, locked: lockedKeys(), sources: sourcesOf(stored) };
    },

    /** Read before every call: the pairing of secret and URL is checked on each use, not only at save. */
    async getConnection(): Promise<Connection> {
      const { stored, ...settings } = await effective();
      const cfg = configured();
      const destination = destinationOf(stored);
      const clientSecret =
        (cfg.clientSecret as string | undefined) ?? (await storedSecretFor(stored, destination));
      return {
        environment: settings.environment,
        baseUrl: settings.baseUrl ?? undefined,
        baseUrlTyped: cfg.baseUrl === undefined && isForeignUrl(settings.baseUrl),
        clientId: settings.clientId ?? undefined,
        clientSecret,
      };
    },

    async update(input: unknown) {
      const update = settingsUpdateSchema.parse(input);
      const locked = lockedKeys().filter((key) => key in update);
      if (locked.length) {
        throw new OsteocomError(
          'VALIDATION_ERROR',
          `These settings are set in config/plugins.ts or the environment and cannot be changed here: ${locked.join(', ')}.`,
          { details: { locked } }
        );
      }
      if (update.baseUrl) await assertTypedBaseUrl(update.baseUrl);
      if (update.playerUrlTemplate) await assertTypedPlayerUrl(update.playerUrlTemplate);
      const stored = await readStored(true);
      const { clientSecret, ...rest } = update;
      const next: StoredSettings = { ...stored, ...rest };
      // A secret follows its host: pointing the client elsewhere drops it unless a new one comes along.
      const secretCleared =
        clientSecret === undefined &&
        movesHost(stored, update) &&
        Boolean(stored.clientSecretEncrypted);
      if (typeof clientSecret === 'string') {
        next.clientSecretEncrypted = getService(strapi, 'crypto').encrypt(clientSecret);
        next.clientSecretFor = destinationOf(next);
      } else if (clientSecret === null || secretCleared) {
        next.clientSecretEncrypted = null;
        next.clientSecretFor = null;
      }
      await store().set({ value: next });
      cache = undefined;
      return { changed: Object.keys(update) as SettingKey[], secretCleared };
    },
  };
};
