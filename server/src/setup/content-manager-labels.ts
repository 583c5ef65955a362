import type { Core } from '@strapi/strapi';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';

/**
 * Readable labels and help text for the mirrored types in the Content Manager, `contentHash`
 * hidden, and list views of the columns editors look at. Applied once per type through the
 * Content Manager's own configuration service (the store records it): an admin's later layout or
 * label change is the site's and stays.
 */
const FROM_OSTEOCOM = 'From Osteocom — changes with the next sync.';

type Field = { label: string; description?: string };

const CHANNEL_FIELDS: Record<string, Field> = {
  slug: { label: 'Slug', description: "The channel's URL name on this site, unique. Made from the title at the first sync." },
  listed: { label: 'Listed', description: 'Off hides the channel from the public catalog; customers who bought it keep it.' },
  featured: { label: 'Featured', description: 'Listed first in the public catalog.' },
  position: { label: 'Position', description: 'Manual order in the public catalog (lower first; empty comes after).' },
  summary: { label: 'Summary', description: "This site's own short text about the channel." },
  siteCover: { label: 'Site cover', description: "Shown instead of Osteocom's cover when set." },
  idChannel: { label: 'Osteocom id', description: FROM_OSTEOCOM },
  title: { label: 'Title', description: FROM_OSTEOCOM },
  subtitle: { label: 'Subtitle', description: FROM_OSTEOCOM },
  htmlDescription: { label: 'Description (HTML)', description: FROM_OSTEOCOM },
  price: { label: 'Price', description: FROM_OSTEOCOM },
  cover: { label: 'Osteocom cover (URL)', description: FROM_OSTEOCOM },
  background: { label: 'Background (URL)', description: FROM_OSTEOCOM },
  trailer: { label: 'Trailer (URL)', description: FROM_OSTEOCOM },
  authors: { label: 'Authors (data)', description: `${FROM_OSTEOCOM} Each author's name and image, as JSON; the edit view shows Authors instead.` },
  authorNames: { label: 'Authors', description: FROM_OSTEOCOM },
  videos: { label: 'Videos', description: FROM_OSTEOCOM },
  availability: { label: 'Availability', description: 'Removed when Osteocom no longer offers the channel. Set by the sync.' },
  lastSyncedAt: { label: 'Last synced', description: 'When the sync last wrote this channel.' },
};

const VIDEO_FIELDS: Record<string, Field> = {
  videoId: { label: 'Osteocom id', description: FROM_OSTEOCOM },
  title: { label: 'Title', description: FROM_OSTEOCOM },
  duration: { label: 'Duration (s)', description: FROM_OSTEOCOM },
  videoQuality: { label: 'Quality', description: FROM_OSTEOCOM },
  position: { label: 'Position in the channel', description: FROM_OSTEOCOM },
  channel: { label: 'Channel', description: FROM_OSTEOCOM },
  availability: { label: 'Availability', description: 'Removed when Osteocom no longer offers the video. Set by the sync.' },
};

const TYPES: Record<string, { fields: Record<string, Field>; list: string[] }> = {
  [CHANNEL_UID]: { fields: CHANNEL_FIELDS, list: ['title', 'availability', 'listed', 'featured', 'price'] },
  [VIDEO_UID]: { fields: VIDEO_FIELDS, list: ['title', 'channel', 'duration', 'availability'] },
};

// `authors` is JSON (the API's); editors read the `authorNames` line the sync writes beside it.
const HIDDEN = ['contentHash', 'channelKey', 'authors'];
const STORE_KEY = 'content-manager-labels';

type EditRow = { name: string; size: number }[];

interface Configuration {
  settings: Record<string, unknown>;
  metadatas: Record<string, { edit: Record<string, unknown>; list: Record<string, unknown> }>;
  layouts: { list?: string[]; edit?: EditRow[] } & Record<string, unknown>;
}

interface ContentTypesService {
  findConfiguration(contentType: { uid: string }): Promise<Configuration>;
  updateConfiguration(contentType: { uid: string }, configuration: Configuration): Promise<unknown>;
}

const labelled = (uid: string, config: Configuration): Configuration => {
  const { fields, list } = TYPES[uid];
  for (const [name, { label, description }] of Object.entries(fields)) {
    const metadata = config.metadatas[name];
    if (!metadata) continue;
    Object.assign(metadata.edit, { label, ...(description ? { description } : {}) });
    metadata.list.label = label;
  }
  for (const name of HIDDEN) if (config.metadatas[name]) config.metadatas[name].edit.visible = false;
  const edit = (config.layouts.edit ?? []).map((row) => row.filter((field) => !HIDDEN.includes(field.name))).filter((row) => row.length);
  return { ...config, layouts: { ...config.layouts, edit, list: list.filter((name) => name in config.metadatas) } };
};

/** After `configureContentManager` (the Content Manager has synced its configurations by then). */
export const labelContentManager = async (strapi: Core.Strapi) => {
  const contentManager = strapi.plugin('content-manager');
  if (!contentManager) return;
  const store = strapi.store({ type: 'plugin', name: 'osteocom', key: STORE_KEY });
  const done = ((await store.get({})) as { types?: string[] } | null)?.types ?? [];
  const pending = Object.keys(TYPES).filter((uid) => !done.includes(uid));
  if (!pending.length) return;
  const service = contentManager.service('content-types') as unknown as ContentTypesService;
  for (const uid of pending) {
    const { settings, metadatas, layouts } = await service.findConfiguration({ uid });
    await service.updateConfiguration({ uid }, labelled(uid, { settings, metadatas, layouts }));
  }
  await store.set({ value: { types: [...done, ...pending], at: new Date().toISOString() } });
};
