import { z } from 'zod';

/** Optional upstream text: null and "" mean absent. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value ? value : undefined));

const id = z.string().trim().min(1).max(128);

export const loginResponseSchema = z.object({ token: z.string().min(1) });

export const catalogVideoSchema = z.object({
  videoId: id,
  title: z.string().min(1),
  duration: z.number().int().nonnegative().nullish().transform((value) => value ?? undefined),
  videoQuality: optionalText,
});

export const catalogAuthorSchema = z.object({ name: z.string().min(1), image: optionalText });

export const catalogChannelSchema = z.object({
  idChannel: id,
  title: z.string().min(1),
  subtitle: optionalText,
  htmlDescription: optionalText,
  price: z.number().int().nonnegative().nullish().transform((value) => value ?? undefined),
  cover: optionalText,
  background: optionalText,
  trailer: optionalText,
  authors: z.array(catalogAuthorSchema).nullish().transform((value) => value ?? []),
  video: z.array(catalogVideoSchema).nullish().transform((value) => value ?? []),
});

export const catalogResponseSchema = z.object({ catalog: z.array(catalogChannelSchema) });

export const authorizationParamsSchema = z.object({
  userId: z.string().min(1),
  email: z.string().optional(),
  marketingConsent: z.boolean().optional(),
  name: z.string().optional(),
  surname: z.string().optional(),
  products: z.array(z.object({ productId: id, price: z.number().int().nonnegative() })).min(1),
});

export const authorizationResponseSchema = z.object({ token: z.string().min(1) });

export const videoAccessResponseSchema = z.object({
  tokenAuthVideo: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

export const revocationResponseSchema = z.object({
  userId: z.string().min(1),
  cancellationDate: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

export type CatalogChannel = z.infer<typeof catalogChannelSchema>;
export type CatalogVideo = z.infer<typeof catalogVideoSchema>;
export type AuthorizationParams = z.infer<typeof authorizationParamsSchema>;
