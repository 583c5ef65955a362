/** The mirrored catalog: public reads (content API) and the admin's channel and video lists. */
import { z } from 'zod';
import { BAD_REQUEST, dateTime, pagedReply, dataReply, adminReply, paginationQuerySchema, searchQuery, upstreamIdSchema, type RouteContract } from './common';

export const availabilitySchema = z.enum(['available', 'removed']);
export type Availability = z.infer<typeof availabilitySchema>;

export const channelParamsSchema = z.object({ idChannel: upstreamIdSchema.describe("The channel's Osteocom id.") }).strip();

/** A channel named by its Osteocom id or by the slug the site gave it (slugs use the same characters). */
export const channelRefParamsSchema = z.object({ idChannelOrSlug: upstreamIdSchema.describe("The channel's Osteocom id or its slug.") }).strip();

export const channelAuthorSchema = z.object({ name: z.string(), image: z.string().nullable().optional() });

/** A videolesson of an available channel (public fields only). */
export const videoSchema = z.object({
  videoId: z.string(),
  title: z.string(),
  duration: z.int().nullable().describe('Seconds.'),
  videoQuality: z.string().nullable(),
  position: z.int().nullable().describe('Order within the channel, from 0.'),
});
export type Video = z.infer<typeof videoSchema>;

/** A channel's fields as mirrored from Osteocom's catalog: what the sync writes and reads back, and the public reply shows. */
export const channelFieldsSchema = z.object({
  idChannel: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  htmlDescription: z.string().nullable(),
  price: z.int().nullable().describe("Catalog price in Osteocom's unit (integer)."),
  cover: z.string().nullable(),
  background: z.string().nullable(),
  trailer: z.string().nullable(),
  authors: z.array(channelAuthorSchema).nullable(),
});
export type ChannelFields = z.infer<typeof channelFieldsSchema>;

/** What the site's editors set on a channel (the sync never writes them), as the public catalog shows them. */
export const channelSiteFieldsSchema = z.object({
  slug: z.string().nullable().describe("The site's URL name of the channel, unique; `GET /channels/:idChannelOrSlug` accepts it."),
  featured: z.boolean().describe('Listed before the others.'),
  summary: z.string().nullable().describe("The site's own short text."),
  cover: z.string().nullable().describe("The cover's URL: the image an editor chose (`siteCover`) when set, else Osteocom's."),
});

/** A listed, available channel with its available videos (public fields only): a field added here is selected and documented. */
export const channelSchema = channelFieldsSchema.extend(channelSiteFieldsSchema.shape).extend({ videos: z.array(videoSchema) });
export type Channel = z.infer<typeof channelSchema>;

/** `GET /api/osteocom/channels` */
export const findChannels = {
  query: paginationQuerySchema,
  reply: pagedReply(channelSchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;

/** `GET /api/osteocom/channels/:idChannelOrSlug` */
export const findChannel = {
  params: channelRefParamsSchema,
  reply: dataReply(channelSchema),
  errors: { ...BAD_REQUEST, 404: ['CHANNEL_NOT_FOUND'] },
} satisfies RouteContract;

export type ChannelListQuery = z.input<typeof findChannels.query>;
export type ChannelListResponse = z.infer<typeof findChannels.reply>;
export type ChannelResponse = z.infer<typeof findChannel.reply>;

// ---- admin -------------------------------------------------------------------------------

export const adminChannelSchema = channelFieldsSchema.extend({
  id: z.int(),
  documentId: z.string(),
  status: availabilitySchema,
  videoCount: z.int(),
  lastSyncedAt: dateTime.nullable(),
});
export type AdminChannel = z.infer<typeof adminChannelSchema>;

export const adminVideoSchema = videoSchema.extend({ status: availabilitySchema });
export type AdminVideo = z.infer<typeof adminVideoSchema>;

/** `GET /osteocom/channels` (admin) */
export const adminChannels = {
  query: paginationQuerySchema.extend({ q: searchQuery, status: availabilitySchema.optional() }).strip(),
  reply: pagedReply(adminChannelSchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;
export type AdminChannelQuery = z.infer<typeof adminChannels.query>;

/** `GET /osteocom/channels/:idChannel/videos` (admin) */
export const adminVideos = {
  params: channelParamsSchema,
  reply: adminReply(z.array(adminVideoSchema)),
  errors: { ...BAD_REQUEST, 404: ['CHANNEL_NOT_FOUND'] },
} satisfies RouteContract;
