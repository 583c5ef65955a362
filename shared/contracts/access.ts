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
  })
  .strict();

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

export type AuthorizeBody = z.infer<typeof authorizeBodySchema>;
export type AuthorizationRequest = z.input<typeof authorizeBodySchema>;
export type RevocationRequest = z.input<typeof revokeBodySchema>;
export type AuthorizationResponse = z.infer<typeof authorize.reply>;
export type RevocationResponse = z.infer<typeof revoke.reply>;
/** What the admin's authorize, revoke and re-send calls answer. */
export type AccessResult = z.infer<typeof resend.reply>['data'];
