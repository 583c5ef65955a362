/**
 * The admin's forms validated with the routes' own contracts (shared/contracts, the schemas the
 * server parses with): a form's values become the request body, `safeParse` checks it, and each
 * field's first issue becomes a translation key. The server still decides.
 */
import type { z } from 'zod';
import { authorizeBodySchema, emailProblem } from '../../../shared/contracts/access';
import { PLAYER_URL_TOKEN_MESSAGE, settingsUpdateSchema } from '../../../shared/contracts/settings';
import type { ReminderLocale } from '../../../shared/contracts/reminders';
import type { AuthorizeBody, SettingKey, SettingsUpdate, SettingsValues } from '../types';
import type { MessageKey } from './getTranslation';

/** A price as typed: digits only, read as a number; otherwise null (the contract checks the range). */
export const parsePrice = (text: string): number | null => {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
};

type Issue = z.core.$ZodIssue;

/** The first issue at each path (`userId`, `products`, `products.0.price`). */
const firstIssues = (result: z.ZodSafeParseResult<unknown>) => {
  const issues = new Map<string, Issue>();
  for (const issue of result.error?.issues ?? []) {
    const path = issue.path.join('.');
    if (!issues.has(path)) issues.set(path, issue);
  }
  return issues;
};

/** A field's message for an issue: by the issue's code, else the field's default. */
type Messages = Partial<Record<Issue['code'], MessageKey>> & { default: MessageKey };
const messageFor = (issue: Issue | undefined, messages: Messages) => issue && (messages[issue.code] ?? messages.default);

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

const optional = (value: string) => (value.trim() ? value.trim() : undefined);

/** The picker's value in UTC; an unreadable one as it is, for the contract to refuse. */
const isoDateTime = (value: string) => (Number.isNaN(Date.parse(value)) ? value : new Date(value).toISOString());

/** The form as a request body; an unreadable price stays NaN so that the contract refuses it. */
const authorizeCandidate = (values: AuthorizeValues, consentGiven: boolean): AuthorizeBody => {
  const body: AuthorizeBody = {
    userId: values.userId.trim(),
    products: values.products.map((product) => ({
      productId: product.productId,
      price: parsePrice(product.price) ?? Number.NaN,
      ...(product.accessUntil ? { accessUntil: isoDateTime(product.accessUntil) } : {}),
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

const NAME_MESSAGES: Messages = { too_big: 'validation.name.tooLong', default: 'validation.name.invalid' };
const AUTHORIZE_MESSAGES = {
  userId: { too_small: 'validation.userId.required', too_big: 'validation.userId.tooLong', default: 'validation.userId.invalid' },
  email: { default: 'validation.email.invalid' },
  name: NAME_MESSAGES,
  surname: NAME_MESSAGES,
  products: { too_big: 'validation.products.tooMany', default: 'validation.products.required' },
} satisfies Record<Exclude<keyof AuthorizeErrors, 'prices' | 'accessUntil'>, Messages>;

/**
 * `emailRequired`: the account setting; false when unknown (the server then decides). Osteocom
 * asks for an email when *its account* has marketing consent enabled, whatever this customer chose.
 */
export const validateAuthorize = (values: AuthorizeValues, emailRequired = false): AuthorizeErrors => {
  const body = authorizeCandidate(values, false);
  const issues = firstIssues(authorizeBodySchema.safeParse(body));
  const errors: AuthorizeErrors = {};
  for (const [field, messages] of Object.entries(AUTHORIZE_MESSAGES)) {
    const key = messageFor(issues.get(field), messages);
    if (key) errors[field as keyof typeof AUTHORIZE_MESSAGES] = key;
  }
  const email = emailProblem(body.email, emailRequired);
  if (!errors.email && email) errors.email = email === 'EMAIL_REQUIRED' ? 'validation.email.required' : 'validation.email.invalid';
  const prices = Object.fromEntries(
    values.products.filter((_, index) => issues.has(`products.${index}.price`)).map((product) => [product.productId, 'validation.price.invalid' as const])
  );
  if (Object.keys(prices).length) errors.prices = prices;
  const ends = Object.fromEntries(
    values.products.filter((_, index) => issues.has(`products.${index}.accessUntil`)).map((product) => [product.productId, 'validation.accessUntil.past' as const])
  );
  if (Object.keys(ends).length) errors.accessUntil = ends;
  return errors;
};

export const hasErrors = (errors: object) => Object.keys(errors).length > 0;

/**
 * The request body for valid values: trimmed, optional fields left out when empty. An unticked
 * consent box states nothing (the customer's stored choice stands) unless it was ticked when the
 * form opened (`consentGiven`): unticking it then is a withdrawal.
 */
export const toAuthorizeBody = (values: AuthorizeValues, consentGiven = false): AuthorizeBody => authorizeCandidate(values, consentGiven);

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
  currency: string;
  /** Reminders: whole days as typed; empty subject/body use the default template of the language. */
  reminderDays: string;
  reminderLocale: ReminderLocale;
  reminderSubject: string;
  reminderBody: string;
  siteName: string;
  reminderDigestEmail: string;
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
  currency: values.currency,
  reminderDays: String(values.reminderDays),
  reminderLocale: values.reminderLocale,
  reminderSubject: values.reminderSubject ?? '',
  reminderBody: values.reminderBody ?? '',
  siteName: values.siteName ?? '',
  reminderDigestEmail: values.reminderDigestEmail ?? '',
});

/** Whole days as typed, or NaN (refused by the contract). */
const daysOf = (value: string) => (/^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN);

/** Only https:// may be typed here; a local or http:// address belongs in config/plugins.ts (the server answers BASE_URL_NOT_ALLOWED). */
const isHttpsUrl = (value: string) => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

const nullable = (value: string) => (value.trim() ? value.trim() : null);

/** Every unlocked field as `PUT /osteocom/settings` would receive it; a blank secret keeps the stored one. */
const settingsCandidate = (form: SettingsFormValues, locked: readonly SettingKey[]): SettingsUpdate => {
  const all: SettingsUpdate = {
    environment: form.environment,
    baseUrl: nullable(form.baseUrl),
    clientId: nullable(form.clientId),
    clientSecret: form.clientSecret.trim() || undefined,
    syncEnabled: form.syncEnabled,
    syncCron: form.syncCron,
    syncTz: form.syncTz,
    playerUrlTemplate: nullable(form.playerUrlTemplate),
    emailRequired: form.emailRequired,
    currency: form.currency.trim().toUpperCase(),
    reminderDays: daysOf(form.reminderDays),
    reminderLocale: form.reminderLocale,
    reminderSubject: nullable(form.reminderSubject),
    reminderBody: nullable(form.reminderBody),
    siteName: nullable(form.siteName),
    reminderDigestEmail: nullable(form.reminderDigestEmail),
  };
  return Object.fromEntries(Object.entries(all).filter(([key, value]) => value !== undefined && !locked.includes(key as SettingKey)));
};

const SETTINGS_MESSAGES: Partial<Record<SettingKey, MessageKey>> = {
  baseUrl: 'validation.baseUrl.invalid',
  clientId: 'validation.clientId.tooLong',
  clientSecret: 'validation.clientSecret.tooLong',
  syncCron: 'validation.syncCron.invalid',
  syncTz: 'validation.syncTz.invalid',
  currency: 'validation.currency.invalid',
  reminderDays: 'validation.reminderDays.invalid',
  reminderSubject: 'validation.reminderTemplate.invalid',
  reminderBody: 'validation.reminderTemplate.invalid',
  siteName: 'validation.siteName.tooLong',
  reminderDigestEmail: 'validation.reminderDigestEmail.invalid',
};

export const validateSettings = (form: SettingsFormValues, locked: readonly SettingKey[] = []): SettingsErrors => {
  const candidate = settingsCandidate(form, locked);
  const result = settingsUpdateSchema.safeParse(candidate);
  const issues = firstIssues(result);
  const errors: SettingsErrors = {};
  for (const [field, key] of Object.entries(SETTINGS_MESSAGES)) if (issues.has(field)) errors[field as SettingKey] = key;
  if (!errors.baseUrl && candidate.baseUrl && !isHttpsUrl(candidate.baseUrl)) errors.baseUrl = 'validation.baseUrl.invalid';
  // Not an http(s) address, or too long, says more than a missing placeholder.
  const template = result.error?.issues.filter((issue) => issue.path[0] === 'playerUrlTemplate') ?? [];
  if (template.length) {
    const onlyToken = template.every((issue) => issue.message === PLAYER_URL_TOKEN_MESSAGE);
    errors.playerUrlTemplate = onlyToken ? 'validation.playerUrlTemplate.token' : 'validation.playerUrlTemplate.url';
  }
  // Like the base URL: every viewer's token goes there, so only https:// may be typed (PLAYER_URL_NOT_ALLOWED).
  if (!errors.playerUrlTemplate && candidate.playerUrlTemplate && !isHttpsUrl(candidate.playerUrlTemplate)) {
    errors.playerUrlTemplate = 'validation.playerUrlTemplate.url';
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
  const currency = form.currency.trim().toUpperCase();
  if (open('currency') && currency !== initial.currency) changes.currency = currency;
  const reminderDays = daysOf(form.reminderDays);
  if (open('reminderDays') && reminderDays !== initial.reminderDays) changes.reminderDays = reminderDays;
  if (open('reminderLocale') && form.reminderLocale !== initial.reminderLocale) changes.reminderLocale = form.reminderLocale;
  for (const key of ['reminderSubject', 'reminderBody', 'siteName', 'reminderDigestEmail'] as const) {
    if (open(key) && nullable(form[key]) !== initial[key]) changes[key] = nullable(form[key]);
  }
  return changes;
};
