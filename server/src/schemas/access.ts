import { z } from 'zod';
import { NO_CONTROL_CHARACTERS, upstreamIdSchema } from './requests';

const text = (max: number) => z.string().trim().min(1).max(max).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

/** A site's stable customer id: any printable text, as the reference allows, but bounded. */
export const userIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(191)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/** Same rule as Osteocom's: a person's address, one @, a dotted domain. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** Products one authorization may list. */
export const MAX_PRODUCTS = 50;

/** One purchased product of an authorization. */
export const authorizeProductSchema = z
  .object({
    productId: upstreamIdSchema,
    price: z.number().int().min(0).max(100_000_000).optional(),
    // Time-limited access (e.g. a yearly subscription): revoked at Osteocom from that instant.
    accessUntil: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2027-12-31T23:59:59Z' })
      .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
      .optional(),
  })
  .strict();

export const authorizeBodySchema = z
  .object({
    userId: userIdSchema,
    // A blank email is no email: it neither replaces a stored address nor reaches Osteocom.
    email: z
      .string()
      .trim()
      .max(254)
      .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
      .transform((email) => email || undefined)
      .optional(),
    // Omitted: not stated in this call, the stored choice stands. false: a withdrawal.
    marketingConsent: z.boolean().optional(),
    name: text(100).optional(),
    surname: text(100).optional(),
    products: z
      .array(authorizeProductSchema)
      .min(1, 'must list at least one product')
      .max(MAX_PRODUCTS)
      .refine((products) => new Set(products.map((p) => p.productId)).size === products.length, 'must not list a product twice'),
  })
  .strict();

export const revokeBodySchema = z.object({ userId: userIdSchema, channelId: upstreamIdSchema }).strict();

export const customerParamsSchema = z.object({ userId: userIdSchema }).strip();

export type AuthorizeBody = z.infer<typeof authorizeBodySchema>;
export type RevokeBody = z.infer<typeof revokeBodySchema>;
