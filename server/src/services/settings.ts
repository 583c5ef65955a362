import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { settingsUpdateSchema, type OsteocomEnvironment, type SettingKey, type SettingsUpdate, type SettingsValues } from '../../../shared/contracts/settings';
import type { PluginConfig } from '../config/schema';
import { OsteocomError } from '../errors';
import { getService } from '../utils/get-service';
import type { Connection } from './osteocom-client';
import { assertAllowedBaseUrl, isOsteocomHost } from './osteocom-client/transport';

const STORE_KEY = 'settings';
const CACHE_MS = 5_000;

const DEFAULTS = {
  environment: 'test' as OsteocomEnvironment,
  syncEnabled: true,
  syncCron: '0 */6 * * *',
  syncTz: 'UTC',
  emailRequired: false,
};

/** What is kept in the store: the secret only in encrypted form. */
const storedSettingsSchema = settingsUpdateSchema.omit({ clientSecret: true }).extend({ clientSecretEncrypted: z.string().nullable().optional() });
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
});

/** Whether an update points the client at another host than the stored settings did. */
const movesHost = (stored: StoredSettings, update: SettingsUpdate) =>
  ('environment' in update && update.environment !== (stored.environment ?? DEFAULTS.environment)) ||
  ('baseUrl' in update && (update.baseUrl ?? null) !== (stored.baseUrl ?? null));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY });
  const configured = () => fromConfig(strapi.config.get('plugin::osteocom') as PluginConfig);

  let cache: { at: number; value: StoredSettings } | undefined;

  const readStored = async (fresh = false): Promise<StoredSettings> => {
    if (!fresh && cache && Date.now() - cache.at < CACHE_MS) return cache.value;
    const raw = await store().get({});
    const parsed = storedSettingsSchema.safeParse(raw ?? {});
    const value = parsed.success ? parsed.data : {};
    if (!parsed.success) strapi.log.warn('[osteocom] stored settings are invalid and were ignored');
    cache = { at: Date.now(), value };
    return value;
  };

  const lockedKeys = (): SettingKey[] =>
    (Object.entries(configured()) as [SettingKey, unknown][])
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key);

  const pick = <T>(configValue: T | undefined, stored: T | null | undefined, fallback: T): T =>
    configValue ?? stored ?? fallback;

  const effective = async (fresh = false): Promise<SettingsValues & { clientSecretEncrypted?: string | null }> => {
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
      clientSecretEncrypted: stored.clientSecretEncrypted,
    };
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

  return {
    /** The settings as the admin sees them: the secret only as "set" or not. */
    async get(options: { fresh?: boolean } = {}) {
      const { clientSecretEncrypted: _omit, ...values } = await effective(options.fresh);
      return { values, locked: lockedKeys() };
    },

    async getConnection(): Promise<Connection> {
      const settings = await effective();
      const typed = configured().baseUrl === undefined && settings.baseUrl !== null && !isOsteocomHost(settings.baseUrl);
      const clientSecret =
        (configured().clientSecret as string | undefined) ??
        (settings.clientSecretEncrypted
          ? getService(strapi, 'crypto').decrypt(settings.clientSecretEncrypted)
          : undefined);
      return {
        environment: settings.environment,
        baseUrl: settings.baseUrl ?? undefined,
        baseUrlTyped: typed,
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
      const stored = await readStored(true);
      const { clientSecret, ...rest } = update;
      const next: StoredSettings = { ...stored, ...rest };
      // A secret follows its host: pointing the client elsewhere drops it unless a new one comes along.
      const secretCleared = clientSecret === undefined && movesHost(stored, update) && Boolean(stored.clientSecretEncrypted);
      if (clientSecret !== undefined) {
        next.clientSecretEncrypted = clientSecret === null ? null : getService(strapi, 'crypto').encrypt(clientSecret);
      } else if (secretCleared) {
        next.clientSecretEncrypted = null;
      }
      await store().set({ value: next });
      cache = undefined;
      return { changed: Object.keys(update) as SettingKey[], secretCleared };
    },
  };
};
