/**
 * Authorizations (a purchase), revocations (a refund) and an editor's re-send: the routes that
 * change a customer's access. Content API for shop back ends (API token), admin for editors.
 */
import { z } from 'zod';
import { dataReply, plainText, upstreamIdSchema, userIdSchema, type RouteContract } from './common';
import { entitlementSchema } from './entitlements';
import type { ErrorCode } from './errors';

/** Same rule as Osteocom's: a person's address, one @, a dotted domain. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * The email checks the schema cannot make alone: the format (answered with its own code), and
 * whether the Osteocom account requires one (`emailRequired`, a setting). `email` is the one
 * this call or the stored customer gives.
 */
export const emailProblem = (email: string | undefined | null, emailRequired: boolean): Extract<ErrorCode, 'INVALID_EMAIL' | 'EMAIL_REQUIRED'> | undefined => {
  if (email && !EMAIL_PATTERN.test(email)) return 'INVALID_EMAIL';
  if (emailRequired && !email) return 'EMAIL_REQUIRED';
  return undefined;
};

export const PRICE_MAX = 100_000_000;

/** Products one authorization may list. */
export const MAX_PRODUCTS = 50;

const futureInstant = (example: string) =>
  z.iso
    .datetime({ offset: true, message: `must be an ISO 8601 date-time, e.g. ${example}` })
    .refine((value) => Date.parse(value) > Date.now(), 'must be in the future');

/** A later start must come before the end: an access that would end before it starts is refused. */
export const startsBeforeEnd = (product: { accessFrom?: string; accessUntil?: string }) =>
  !product.accessFrom || !product.accessUntil || Date.parse(product.accessFrom) < Date.parse(product.accessUntil);
export const STARTS_BEFORE_END = { message: 'must be before accessUntil', path: ['accessFrom'] };

/** One purchased product of an authorization (and one row of a bulk purchase). */
export const authorizeProductSchema = z
  .object({
    productId: upstreamIdSchema,
    price: z.number().int().min(0).max(PRICE_MAX).optional().describe('Defaults to the catalog price.'),
    // Time-limited access (e.g. a yearly subscription): revoked at Osteocom from that instant.
    accessUntil: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2027-12-31T23:59:59Z' })
      .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
      .optional()
      .describe('From then the access is refused and revoked at Osteocom.'),
    // A later start (e.g. a course that opens next month): nothing reaches Osteocom before it.
    accessFrom: futureInstant('2027-01-01T00:00:00Z')
      .optional()
      .describe('A later start: the access is `scheduled` until then (nothing is sent to Osteocom) and authorized by the outbox within a minute of it. Must be before `accessUntil`.'),
  })
  .strict()
  .refine(startsBeforeEnd, STARTS_BEFORE_END);

export const authorizeBodySchema = z
  .object({
    userId: userIdSchema.describe('The id the video-token route derives for this customer (`userIdField`, default the users-permissions `documentId`).'),
    // A blank email is no email: it neither replaces a stored address nor reaches Osteocom.
    email: plainText(254)
      .transform((email) => email || undefined)
      .optional()
      .describe('Required when the Osteocom account requires emails (setting `emailRequired`); blank counts as absent.'),
    // Omitted: not stated in this call, the stored choice stands. false: a withdrawal.
    marketingConsent: z.boolean().optional().describe('Omitted: not stated, the stored choice stands (false for a new customer). `false` withdraws consent.'),
    name: plainText(100).min(1).optional(),
    surname: plainText(100).min(1).optional(),
    products: z
      .array(authorizeProductSchema)
      .min(1, 'must list at least one product')
      .max(MAX_PRODUCTS)
      .refine((products) => new Set(products.map((p) => p.productId)).size === products.length, 'must not list a product twice')
      .describe('1–50 distinct available channels.'),
  })
  .strict();

/** One customer's access to one channel. */
export const entitlementRefSchema = z.object({ userId: userIdSchema, channelId: upstreamIdSchema }).strict();

/** The reasons a revocation names as a code; anything else is free text. */
export const REVOKE_REASONS = ['refund', 'chargeback', 'support'] as const;
export const REVOKE_REASON_MAX = 200;

/** Why access ended, kept on the entitlement (`revokeReason`) and in the audit trail: a code of `REVOKE_REASONS` or free text. */
export const revokeReasonSchema = plainText(REVOKE_REASON_MAX)
  .min(1, 'must not be blank')
  .describe(`Why access ends: ${REVOKE_REASONS.join(', ')}, or free text (at most ${REVOKE_REASON_MAX} characters).`);

export const revokeBodySchema = entitlementRefSchema.extend({ reason: revokeReasonSchema.optional() }).strict();

const accessReply = <const State extends readonly [string, ...string[]]>(states: State) =>
  dataReply(z.object({ state: z.enum(states), userId: z.string(), entitlements: z.array(entitlementSchema) }));

/**
 * `POST /api/osteocom/authorizations`: 200 `active` (or `partial`: Osteocom refused some products,
 * or a concurrent refund overtook some; `revoked`: a concurrent refund overtook all), 202 `pending`
 * when the outbox will retry.
 */
export const authorize = {
  body: authorizeBodySchema,
  reply: accessReply(['active', 'pending', 'partial', 'revoked']),
  errors: { 400: ['VALIDATION_ERROR', 'EMAIL_REQUIRED', 'INVALID_EMAIL', 'UNKNOWN_CHANNEL'], 502: ['UPSTREAM_REJECTED'] },
} satisfies RouteContract;

/** `POST /api/osteocom/revocations`: 200 `revoked`, or 202 `pending` (access already ended locally). */
export const revoke = {
  body: revokeBodySchema,
  reply: accessReply(['revoked', 'pending']),
  errors: { 400: ['VALIDATION_ERROR'], 404: ['ENTITLEMENT_NOT_FOUND'], 502: ['UPSTREAM_REJECTED'] },
} satisfies RouteContract;

/**
 * `POST /osteocom/entitlements/resend` (admin): the row's current intent goes out again. A refund
 * needs the `revoke` action, a purchase `authorize` (403 FORBIDDEN otherwise).
 */
export const resend = {
  body: entitlementRefSchema,
  reply: accessReply(['active', 'revoked', 'pending', 'partial']),
  errors: { 400: ['VALIDATION_ERROR'], 403: ['FORBIDDEN'], 404: ['ENTITLEMENT_NOT_FOUND'], 502: ['UPSTREAM_REJECTED'] },
} satisfies RouteContract;

/**
 * `POST /api/osteocom/pauses`: a subscription suspended at the shop. 200 `paused` (Osteocom
 * revoked it), 202 `pending` (access already ended here; the outbox retries the revocation).
 * Pausing a paused access answers 200 `paused` again; any access not running is a 409.
 */
export const pause = {
  body: entitlementRefSchema,
  reply: accessReply(['paused', 'pending']),
  errors: { 400: ['VALIDATION_ERROR'], 409: ['ACCESS_NOT_ACTIVE'], 502: ['UPSTREAM_REJECTED'] },
} satisfies RouteContract;

/**
 * `POST /api/osteocom/resumptions`: a paused access goes on, authorized again with its stored
 * price and its `accessUntil` pushed back by the time spent paused. 200 `active`, 202 `pending`
 * (the outbox retries). A running access answers 200 `active`; one neither paused nor running is a 409.
 */
export const resume = {
  body: entitlementRefSchema,
  reply: accessReply(['active', 'pending']),
  errors: { 400: ['VALIDATION_ERROR'], 409: ['ACCESS_NOT_PAUSED'], 502: ['UPSTREAM_REJECTED'] },
} satisfies RouteContract;

/** The most Needs-attention rows one "Re-send all" sends: the rest stay listed for the next click (`remaining`). */
export const RESEND_ATTENTION_MAX = 200;

/**
 * `POST /osteocom/entitlements/resend-attention` (admin): every row of Needs attention re-sent,
 * one after another, through the same path as `resend`. The counts: `confirmed` (Osteocom took it),
 * `pending` (the outbox retries it), `refused` (Osteocom refused it again), `skipped` (the editor
 * may not send that intent, or the row left the list meanwhile), `remaining` (not tried: past the
 * cap). No body: anything sent is refused.
 */
export const resendAttention = {
  body: z.object({}).strict(),
  reply: dataReply(
    z.object({
      total: z.int().min(0),
      confirmed: z.int().min(0),
      pending: z.int().min(0),
      refused: z.int().min(0),
      skipped: z.int().min(0),
      remaining: z.int().min(0),
    })
  ),
  errors: { 400: ['VALIDATION_ERROR'] },
} satisfies RouteContract;
export type ResendAttentionResult = z.infer<typeof resendAttention.reply>['data'];

export type AuthorizeBody = z.infer<typeof authorizeBodySchema>;
export type AuthorizationRequest = z.input<typeof authorizeBodySchema>;
export type RevocationRequest = z.input<typeof revokeBodySchema>;
export type AuthorizationResponse = z.infer<typeof authorize.reply>;
export type RevocationResponse = z.infer<typeof revoke.reply>;
export type PauseResponse = z.infer<typeof pause.reply>;
export type ResumeResponse = z.infer<typeof resume.reply>;
/** What the admin's authorize, revoke and re-send calls answer. */
export type AccessResult = z.infer<typeof resend.reply>['data'] | z.infer<typeof pause.reply>['data'];
