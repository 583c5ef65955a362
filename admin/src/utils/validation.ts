/**
 * Client-side checks that mirror the server's zod schemas (server/src/schemas/access.ts and
 * settings.ts), so editors see mistakes before a request is sent. The server still decides.
 * Pure functions: each error is a translation key.
 */
import type { AuthorizeBody, SettingKey, SettingsUpdate, SettingsValues } from '../types';
import type { MessageKey } from './getTranslation';
import { isCronRule } from '../../../server/src/utils/cron-rule';

export { isCronRule };

/** Same rule as the server's and Osteocom's: one @, a dotted domain. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export const USER_ID_MAX = 191;
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;
export const PRICE_MAX = 100_000_000;
export const MAX_PRODUCTS = 50;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export const isEmail = (value: string) => EMAIL_PATTERN.test(value.trim());

/** A price as typed: digits only, an integer from 0 to PRICE_MAX; otherwise null. */
export const parsePrice = (text: string): number | null => {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value <= PRICE_MAX ? value : null;
};

/* ----------------------------------------------------------------------------------------------
 * Authorize access
 * --------------------------------------------------------------------------------------------*/

export interface ProductValue {
  productId: string;
  /** As typed in the form; the catalog price to start with. */
  price: string;
  /** When a time-limited access ends (ISO 8601); absent or empty: for good. */
  accessUntil?: string;
}

export interface AuthorizeValues {
  userId: string;
  email: string;
  name: string;
  surname: string;
  marketingConsent: boolean;
  products: ProductValue[];
}

export interface AuthorizeErrors {
  userId?: MessageKey;
  email?: MessageKey;
  name?: MessageKey;
  surname?: MessageKey;
  products?: MessageKey;
  /** Per productId. */
  prices?: Record<string, MessageKey>;
  /** Per productId. */
  accessUntil?: Record<string, MessageKey>;
}

export const emptyAuthorizeValues = (): AuthorizeValues => ({
  userId: '',
  email: '',
  name: '',
  surname: '',
  marketingConsent: false,
  products: [],
});

const validateUserId = (userId: string): MessageKey | undefined => {
  const trimmed = userId.trim();
  if (!trimmed) return 'validation.userId.required';
  if (trimmed.length > USER_ID_MAX) return 'validation.userId.tooLong';
  if (CONTROL_CHARACTERS.test(trimmed)) return 'validation.userId.invalid';
  return undefined;
};

/**
 * Osteocom asks for an email when *its account* has marketing consent enabled (the `emailRequired`
 * setting), whatever this customer chose; blank counts as absent.
 */
const validateEmail = (email: string, emailRequired: boolean): MessageKey | undefined => {
  const trimmed = email.trim();
  if (!trimmed) return emailRequired ? 'validation.email.required' : undefined;
  if (trimmed.length > EMAIL_MAX || !isEmail(trimmed)) return 'validation.email.invalid';
  return undefined;
};

const validateName = (value: string): MessageKey | undefined =>
  value.trim().length > NAME_MAX ? 'validation.name.tooLong' : undefined;

/** `emailRequired`: the account setting; false when unknown (the server then decides). */
export const validateAuthorize = (
  values: AuthorizeValues,
  emailRequired = false
): AuthorizeErrors => {
  const errors: AuthorizeErrors = {};
  const userId = validateUserId(values.userId);
  if (userId) errors.userId = userId;
  const email = validateEmail(values.email, emailRequired);
  if (email) errors.email = email;
  const name = validateName(values.name);
  if (name) errors.name = name;
  const surname = validateName(values.surname);
  if (surname) errors.surname = surname;
  if (values.products.length === 0) errors.products = 'validation.products.required';
  else if (values.products.length > MAX_PRODUCTS) errors.products = 'validation.products.tooMany';
  const prices: Record<string, MessageKey> = {};
  for (const product of values.products) {
    if (parsePrice(product.price) === null) prices[product.productId] = 'validation.price.invalid';
  }
  if (Object.keys(prices).length) errors.prices = prices;
  const ends: Record<string, MessageKey> = {};
  for (const product of values.products) {
    if (product.accessUntil && !(Date.parse(product.accessUntil) > Date.now()))
      ends[product.productId] = 'validation.accessUntil.past';
  }
  if (Object.keys(ends).length) errors.accessUntil = ends;
  return errors;
};

export const hasErrors = (errors: object) => Object.keys(errors).length > 0;

/**
 * The request body for valid values: trimmed, optional fields left out when empty. An unticked
 * consent box states nothing (the customer's stored choice stands) unless it was ticked when the
 * form opened (`consentGiven`): unticking it then is a withdrawal.
 */
export const toAuthorizeBody = (values: AuthorizeValues, consentGiven = false): AuthorizeBody => {
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const body: AuthorizeBody = {
    userId: values.userId.trim(),
    products: values.products.map((product) => ({
      productId: product.productId,
      price: parsePrice(product.price) ?? 0,
      ...(product.accessUntil ? { accessUntil: new Date(product.accessUntil).toISOString() } : {}),
    })),
  };
  if (values.marketingConsent || consentGiven) body.marketingConsent = values.marketingConsent;
  const email = optional(values.email);
  const name = optional(values.name);
  const surname = optional(values.surname);
  if (email) body.email = email;
  if (name) body.name = name;
  if (surname) body.surname = surname;
  return body;
};

/* ----------------------------------------------------------------------------------------------
 * Settings
 * --------------------------------------------------------------------------------------------*/

export interface SettingsFormValues {
  environment: 'test' | 'production';
  baseUrl: string;
  clientId: string;
  /** A new secret to store; empty keeps the current one. */
  clientSecret: string;
  /** Remove the stored secret. */
  clearSecret: boolean;
  syncEnabled: boolean;
  syncCron: string;
  syncTz: string;
  playerUrlTemplate: string;
  emailRequired: boolean;
}

export type SettingsErrors = Partial<Record<keyof SettingsFormValues, MessageKey>>;

export const settingsFormFrom = (values: SettingsValues): SettingsFormValues => ({
  environment: values.environment,
  baseUrl: values.baseUrl ?? '',
  clientId: values.clientId ?? '',
  clientSecret: '',
  clearSecret: false,
  syncEnabled: values.syncEnabled,
  syncCron: values.syncCron,
  syncTz: values.syncTz,
  playerUrlTemplate: values.playerUrlTemplate ?? '',
  emailRequired: values.emailRequired,
});

export const isTimeZone = (tz: string) => {
  const trimmed = tz.trim();
  if (!trimmed || trimmed.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: trimmed });
    return true;
  } catch {
    return false;
  }
};

/** Only https:// may be typed here; a local or http:// address belongs in config/plugins.ts. */
export const isHttpsUrl = (value: string) => {
  try {
    return new URL(value.trim()).protocol === 'https:';
  } catch {
    return false;
  }
};

export const validateSettings = (
  form: SettingsFormValues,
  locked: readonly SettingKey[] = []
): SettingsErrors => {
  const errors: SettingsErrors = {};
  const open = (key: SettingKey) => !locked.includes(key);
  const baseUrl = form.baseUrl.trim();
  if (open('baseUrl') && baseUrl && (baseUrl.length > 300 || !isHttpsUrl(baseUrl)))
    errors.baseUrl = 'validation.baseUrl.invalid';
  if (open('clientId') && form.clientId.trim().length > 200)
    errors.clientId = 'validation.clientId.tooLong';
  if (open('clientSecret') && form.clientSecret.trim().length > 500)
    errors.clientSecret = 'validation.clientSecret.tooLong';
  if (open('syncCron') && !isCronRule(form.syncCron))
    errors.syncCron = 'validation.syncCron.invalid';
  if (open('syncTz') && !isTimeZone(form.syncTz)) errors.syncTz = 'validation.syncTz.invalid';
  const template = form.playerUrlTemplate.trim();
  if (open('playerUrlTemplate') && template) {
    if (template.length > 500 || !/^https?:\/\//.test(template))
      errors.playerUrlTemplate = 'validation.playerUrlTemplate.url';
    else if (!template.includes('{token}'))
      errors.playerUrlTemplate = 'validation.playerUrlTemplate.token';
  }
  return errors;
};

/**
 * The server drops the stored secret when the environment or base URL changes without a new
 * secret (a secret follows its host): the form warns before saving and asks for it again.
 */
export const clearsSecret = (
  initial: SettingsValues,
  form: SettingsFormValues,
  locked: readonly SettingKey[] = []
) => {
  const changes = settingsChanges(initial, form, locked);
  const movesHost = 'environment' in changes || 'baseUrl' in changes;
  return movesHost && initial.clientSecretSet && !locked.includes('clientSecret') && !changes.clientSecret;
};

/** What `PUT /osteocom/settings` should receive: only changed, unlocked fields; blank text clears. */
export const settingsChanges = (
  initial: SettingsValues,
  form: SettingsFormValues,
  locked: readonly SettingKey[] = []
): SettingsUpdate => {
  const changes: SettingsUpdate = {};
  const open = (key: SettingKey) => !locked.includes(key);
  const nullable = (value: string) => (value.trim() ? value.trim() : null);

  if (open('environment') && form.environment !== initial.environment)
    changes.environment = form.environment;
  if (open('baseUrl') && nullable(form.baseUrl) !== initial.baseUrl)
    changes.baseUrl = nullable(form.baseUrl);
  if (open('clientId') && nullable(form.clientId) !== initial.clientId)
    changes.clientId = nullable(form.clientId);
  if (open('clientSecret')) {
    if (form.clientSecret.trim()) changes.clientSecret = form.clientSecret.trim();
    else if (form.clearSecret && initial.clientSecretSet) changes.clientSecret = null;
  }
  if (open('syncEnabled') && form.syncEnabled !== initial.syncEnabled)
    changes.syncEnabled = form.syncEnabled;
  if (open('syncCron') && form.syncCron.trim() !== initial.syncCron)
    changes.syncCron = form.syncCron.trim();
  if (open('syncTz') && form.syncTz.trim() !== initial.syncTz) changes.syncTz = form.syncTz.trim();
  if (open('playerUrlTemplate') && nullable(form.playerUrlTemplate) !== initial.playerUrlTemplate) {
    changes.playerUrlTemplate = nullable(form.playerUrlTemplate);
  }
  if (open('emailRequired') && form.emailRequired !== initial.emailRequired)
    changes.emailRequired = form.emailRequired;
  return changes;
};
