import { formatConfigError, pluginConfigSchema, type PluginConfig } from './schema';

type Env = {
  (key: string): string | undefined;
  (key: string, fallback: string): string;
};

const blankToUndefined = (value: string | undefined) => (value ? value : undefined);
const parseBoolean = (value: string | undefined) => (value ? value === 'true' : undefined);

/** Defaults, with the documented OSTEOCOM_* variables read when Strapi loads the config. */
export const defaultConfig = ({ env }: { env: Env }): PluginConfig => ({
  environment: blankToUndefined(env('OSTEOCOM_ENV')) as PluginConfig['environment'],
  baseUrl: blankToUndefined(env('OSTEOCOM_BASE_URL')),
  clientId: blankToUndefined(env('OSTEOCOM_CLIENT_ID')),
  clientSecret: blankToUndefined(env('OSTEOCOM_CLIENT_SECRET')),
  encryptionKey: blankToUndefined(env('OSTEOCOM_ENCRYPTION_KEY')),
  emailRequired: parseBoolean(env('OSTEOCOM_EMAIL_REQUIRED')),
  currency: blankToUndefined(env('OSTEOCOM_CURRENCY')),
  http: { timeoutMs: 10_000, maxAttempts: 3, backoffBaseMs: 250, backoffMaxMs: 5_000, retryAfterMaxSeconds: 300 },
  token: { refreshMarginSeconds: 60, fallbackTtlSeconds: 300 },
  sync: {
    onStartup: true,
    startupDelayMs: 5_000,
    maxRemovalRatio: 0.5,
    chunkSize: 500,
    leaseSeconds: 60,
  },
  outbox: { cron: '*/1 * * * *', backoffBaseSeconds: 30, backoffMaxSeconds: 3_600, alertAfterSeconds: 6 * 3_600, leaseSeconds: 30 },
  keyRotation: { onStartup: true, upgradeLegacy: false, batchSize: 200, leaseSeconds: 60 },
  videoToken: {
    cacheSize: 10_000,
    cacheMarginSeconds: 60,
    defaultExpiresInSeconds: 900,
    rateLimit: { max: 30, windowSeconds: 60, store: 'database' },
  },
  reminders: { cron: '*/10 * * * *', emailWithSendmail: false },
  // 16: on SQLite more customers in flight share each commit (repositories/commit-batch.ts); README, bench:bulk.
  bulk: { concurrency: 16 },
  userIdField: 'documentId',
});

export default {
  default: defaultConfig,
  validator(config: unknown) {
    const result = pluginConfigSchema.safeParse(config);
    if (!result.success) throw new Error(formatConfigError(result.error));
  },
};
