/**
 * Strapi's standard read actions for the mirrored types (`GET /api/osteocom/entries/...`, core
 * controllers): Strapi parses their query, not these schemas; they describe the routes for the
 * documentation. Visitors get available rows only, and channels an editor left listed.
 */
import { z } from 'zod';
import { availabilitySchema, channelFieldsSchema, videoSchema } from './catalog';
import { dataReply, dateTime, pagedReply, type RouteContract } from './common';

const entryBase = {
  id: z.int(),
  documentId: z.string(),
  availability: availabilitySchema,
  createdAt: dateTime,
  updatedAt: dateTime,
  publishedAt: dateTime.nullable(),
};

export const mediaEntrySchema = z
  .looseObject({ id: z.int(), documentId: z.string(), url: z.string(), name: z.string(), alternativeText: z.string().nullable(), mime: z.string() })
  .describe('A Media Library file, as Strapi serves it.');

export const videoEntrySchema = videoSchema.extend(entryBase);

export const channelEntrySchema = channelFieldsSchema.extend({
  ...entryBase,
  cover: z.string().nullable().describe("Osteocom's cover (the public catalog's `cover` prefers `siteCover`)."),
  slug: z.string().nullable(),
  listed: z.boolean().nullable(),
  featured: z.boolean().nullable(),
  position: z.int().nullable(),
  summary: z.string().nullable(),
  lastSyncedAt: dateTime.nullable(),
  siteCover: mediaEntrySchema.nullable().optional().describe('With `populate=siteCover`.'),
  videos: z.array(videoEntrySchema).optional().describe('With `populate=videos`.'),
});

const BOUNDS = { 400: ['VALIDATION_ERROR', 'POPULATE_NOT_ALLOWED', 'FILTER_NOT_ALLOWED', 'SORT_NOT_ALLOWED'] } as const;

/** Strapi's REST query (`qs` syntax), within the plugin's bounds: one relation deep, pages of at most 100. */
export const entriesQuerySchema = z.object({
  filters: z.record(z.string(), z.unknown()).optional().describe('`filters[title][$containsi]=knee`; a path crosses one relation at most.'),
  sort: z.string().optional().describe('`title:asc`; one relation deep at most.'),
  populate: z.string().optional().describe('`videos`, `siteCover` or `*` on channels; one relation deep at most.'),
  fields: z.string().optional().describe('`fields[0]=title`.'),
  'pagination[page]': z.int().min(1).optional(),
  'pagination[pageSize]': z.int().min(1).optional().describe('At most 100 (larger values are clamped).'),
});

export const entryParamsSchema = z.object({ id: z.string().describe("The entry's documentId.") });

export const findChannelEntries = { query: entriesQuerySchema, reply: pagedReply(channelEntrySchema), errors: BOUNDS } satisfies RouteContract;
export const findChannelEntry = { params: entryParamsSchema, reply: dataReply(channelEntrySchema), errors: { ...BOUNDS, 404: ['NOT_FOUND'] } } satisfies RouteContract;
export const findVideoEntries = { query: entriesQuerySchema, reply: pagedReply(videoEntrySchema), errors: BOUNDS } satisfies RouteContract;
export const findVideoEntry = { params: entryParamsSchema, reply: dataReply(videoEntrySchema), errors: { ...BOUNDS, 404: ['NOT_FOUND'] } } satisfies RouteContract;

export type ChannelEntry = z.infer<typeof channelEntrySchema>;
export type VideoEntry = z.infer<typeof videoEntrySchema>;
