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

/** A JSON integer ≥ 0; a numeric string is a contract breach, not something to coerce. */
const count = z.number().int().nonnegative();

// Replies

export const loginResponseSchema = z.object({ token: requiredText });

/**
 * The catalog's channel as sent, checked without transforms: zod 4 made a transform's payloads
 * outlive the young generation, so a 100,000-video sync promoted ~45 MB of garbage per run to
 * the old one (measured with --trace-gc-nvp). `toCatalogChannel` normalises afterwards.
 */
const wireText = z.string().nullish();

const wireAuthorSchema = z.object({ name: z.string(), image: wireText });

const wireVideoSchema = z.object({
  videoId: id,
  title: requiredText,
  duration: count.nullish(),
  videoQuality: wireText,
});

export const catalogChannelSchema = z.object({
  idChannel: id,
  title: requiredText,
  subtitle: wireText,
  htmlDescription: wireText,
  price: count,
  cover: wireText,
  background: wireText,
  trailer: wireText,
  authors: z.array(wireAuthorSchema).nullish(),
  video: z.array(wireVideoSchema).nullish(),
});

/** Optional upstream text: null and "" mean absent. */
const text = (value: string | null | undefined) => value || undefined;

/** A validated channel with absent text as undefined and absent lists as empty. */
export const toCatalogChannel = (channel: z.infer<typeof catalogChannelSchema>) => ({
  idChannel: channel.idChannel,
  title: channel.title,
  subtitle: text(channel.subtitle),
  htmlDescription: text(channel.htmlDescription),
  price: channel.price,
  cover: text(channel.cover),
  background: text(channel.background),
  trailer: text(channel.trailer),
  authors: (channel.authors ?? []).map((author) => ({ name: author.name, image: text(author.image) })),
  video: (channel.video ?? []).map((video) => ({
    videoId: video.videoId,
    title: video.title,
    duration: video.duration ?? undefined,
    videoQuality: text(video.videoQuality),
  })),
});

export const catalogResponseSchema = z.object({ catalog: z.array(catalogChannelSchema.transform(toCatalogChannel)) });

export const authorizationResponseSchema = z.object({ token: requiredText });

/** `expiresIn` is optional in the reference: absent, the caller applies its configured default. */
export const videoAccessResponseSchema = z.object({
  tokenAuthVideo: requiredText,
  expiresIn: z.number().int().positive().optional(),
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
export type CatalogChannel = ReturnType<typeof toCatalogChannel>;
export type CatalogResponse = z.infer<typeof catalogResponseSchema>;
export type AuthorizationResponse = z.infer<typeof authorizationResponseSchema>;
export type VideoAccessResponse = z.infer<typeof videoAccessResponseSchema>;
export type RevocationResponse = z.infer<typeof revocationResponseSchema>;
export type Product = z.infer<typeof productSchema>;
export type AuthorizationParams = z.infer<typeof authorizationParamsSchema>;
export type VideoAccessParams = z.infer<typeof videoAccessParamsSchema>;
export type RevocationParams = z.infer<typeof revocationParamsSchema>;
