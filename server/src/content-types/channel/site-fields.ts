/**
 * A channel's fields that belong to the site, not to Osteocom: editors set them in the Content
 * Manager, the sync never reads or writes them (it writes `channelFieldsSchema`'s fields and its
 * bookkeeping), and the mirrored-catalog guard lets them through.
 */
export const CHANNEL_SITE_FIELDS = [
  'slug',
  'listed',
  'featured',
  'position',
  'summary',
  'siteCover',
] as const;
export type ChannelSiteField = (typeof CHANNEL_SITE_FIELDS)[number];

const SITE_FIELDS: ReadonlySet<string> = new Set(CHANNEL_SITE_FIELDS);

export const isChannelSiteField = (name: string) => SITE_FIELDS.has(name);
