import { z } from 'zod';

/**
 * Osteocom's request parameters and replies (see osteocom-api-reference.txt). Strict on what the
 * plugin relies on (ids, titles, prices, tokens), lenient on decoration: null and "" mean absent,
 * lists default to empty, unknown fields are stripped.
 */

/** A required identifier or title: any non-blank string, kept exactly as sent. */
const requiredText = z.string().regex(/\S/, 'must not be blank');

/** Ids are stored in indexed varchar columns and used in plugin routes: bounded. */
const id = requiredText.max(128);

/** Optional upstream text: null and "" are normalised to undefined. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value ? value : undefined));

/** A JSON integer ≥ 0; a numeric string is a contract breach, not something to coerce. */
const count = z.number().int().nonnegative();

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

// Replies

export const loginResponseSchema = z.object({ token: requiredText });

export const catalogAuthorSchema = z.object({
  name: z.string(),
  image: optionalText,
});

export const catalogVideoSchema = z.object({
  videoId: id,
  title: requiredText,
  duration: count.nullish().transform((value) => value ?? undefined),
  videoQuality: optionalText,
});

export const catalogChannelSchema = z.object({
  idChannel: id,
  title: requiredText,
  subtitle: optionalText,
  htmlDescription: optionalText,
  price: count,
  cover: optionalText,
  background: optionalText,
  trailer: optionalText,
  authors: list(catalogAuthorSchema),
  video: list(catalogVideoSchema),
});

export const catalogResponseSchema = z.object({ catalog: z.array(catalogChannelSchema) });

/** `token` is the customer's access key, used later by videoAccess. */
export const authorizationResponseSchema = z.object({ token: requiredText });

export const videoAccessResponseSchema = z.object({
  tokenAuthVideo: requiredText,
  expiresIn: z.number().int().positive(),
});

export const revocationResponseSchema = z.object({
  userId: requiredText,
  cancellationDate: z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

// Parameters: each request body without `clientId`, which the client adds.

export const productSchema = z.object({
  productId: requiredText,
  price: count,
});

export const authorizationParamsSchema = z.object({
  userId: requiredText,
  email: z.string().optional(),
  marketingConsent: z.boolean().optional(),
  name: z.string().optional(),
  surname: z.string().optional(),
  products: z.array(productSchema).min(1),
});

export const videoAccessParamsSchema = z.object({
  userId: requiredText,
  videoId: requiredText,
  userAccessKey: requiredText,
});

export const revocationParamsSchema = z.object({
  userId: requiredText,
  channelId: requiredText,
});

export type LoginResponse = z.infer<typeof loginResponseSchema>;
export type CatalogAuthor = z.infer<typeof catalogAuthorSchema>;
export type CatalogVideo = z.infer<typeof catalogVideoSchema>;
export type CatalogChannel = z.infer<typeof catalogChannelSchema>;
export type CatalogResponse = z.infer<typeof catalogResponseSchema>;
export type AuthorizationResponse = z.infer<typeof authorizationResponseSchema>;
export type VideoAccessResponse = z.infer<typeof videoAccessResponseSchema>;
export type RevocationResponse = z.infer<typeof revocationResponseSchema>;
export type Product = z.infer<typeof productSchema>;
export type AuthorizationParams = z.infer<typeof authorizationParamsSchema>;
export type VideoAccessParams = z.infer<typeof videoAccessParamsSchema>;
export type RevocationParams = z.infer<typeof revocationParamsSchema>;
