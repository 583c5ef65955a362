import { createHash } from 'node:crypto';
import type { CatalogChannel } from '../../schemas/osteocom';
import { OsteocomError } from '../../errors';

export type Availability = 'available' | 'removed';

export interface ChannelData {
  idChannel: string;
  title: string;
  subtitle: string | null;
  htmlDescription: string | null;
  price: number | null;
  cover: string | null;
  background: string | null;
  trailer: string | null;
  authors: { name: string; image: string | null }[];
  contentHash: string;
}

export interface VideoData {
  videoId: string;
  title: string;
  duration: number | null;
  videoQuality: string | null;
  channelKey: string;
  position: number;
  contentHash: string;
}

export interface IndexedRow {
  id: number;
  key: string;
  contentHash: string | null;
  status: Availability;
  channelKey?: string | null;
}

export interface Changes<T> {
  create: T[];
  update: { id: number; data: T; moved: boolean }[];
  restore: { id: number; data: T; moved: boolean }[];
  remove: number[];
  unchanged: number;
}

export interface CatalogPlan {
  channels: Changes<ChannelData>;
  videos: Changes<VideoData>;
}

const hash = (value: unknown) => createHash('sha1').update(JSON.stringify(value)).digest('hex');

const withHash = <T extends object>(data: T): T & { contentHash: string } => ({ ...data, contentHash: hash(data) });

export const toChannelData = (channel: CatalogChannel): ChannelData =>
  withHash({
    idChannel: channel.idChannel,
    title: channel.title,
    subtitle: channel.subtitle ?? null,
    htmlDescription: channel.htmlDescription ?? null,
    price: channel.price ?? null,
    cover: channel.cover ?? null,
    background: channel.background ?? null,
    trailer: channel.trailer ?? null,
    authors: channel.authors.map((author) => ({ name: author.name, image: author.image ?? null })),
  });

export const toVideoData = (channel: CatalogChannel): VideoData[] =>
  channel.video.map((video, position) =>
    withHash({
      videoId: video.videoId,
      title: video.title,
      duration: video.duration ?? null,
      videoQuality: video.videoQuality ?? null,
      channelKey: channel.idChannel,
      position,
    })
  );

/** Ids must be unique across the whole catalog, or the mirror would be ambiguous. */
const assertUnique = (keys: string[], what: string) => {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) {
      throw new OsteocomError('UPSTREAM_INVALID_RESPONSE', `The catalog lists the ${what} "${key}" twice; nothing was written.`);
    }
    seen.add(key);
  }
};

const diff = <T extends { contentHash: string }>(
  incoming: Map<string, T>,
  existing: IndexedRow[],
  moved: (row: IndexedRow, data: T) => boolean
): Changes<T> => {
  const changes: Changes<T> = { create: [], update: [], restore: [], remove: [], unchanged: 0 };
  const known = new Set<string>();
  for (const row of existing) {
    known.add(row.key);
    const data = incoming.get(row.key);
    if (!data) {
      if (row.status === 'available') changes.remove.push(row.id);
      continue;
    }
    const entry = { id: row.id, data, moved: moved(row, data) };
    if (row.status === 'removed') changes.restore.push(entry);
    else if (row.contentHash !== data.contentHash) changes.update.push(entry);
    else changes.unchanged += 1;
  }
  for (const [key, data] of incoming) if (!known.has(key)) changes.create.push(data);
  return changes;
};

/** What a sync must write to make the mirror equal to the catalog; pure, so it can be tested alone. */
export const planCatalog = (catalog: CatalogChannel[], channels: IndexedRow[], videos: IndexedRow[]): CatalogPlan => {
  const channelData = catalog.map(toChannelData);
  const videoData = catalog.flatMap(toVideoData);
  assertUnique(channelData.map((channel) => channel.idChannel), 'channel');
  assertUnique(videoData.map((video) => video.videoId), 'video');
  return {
    channels: diff(new Map(channelData.map((c) => [c.idChannel, c])), channels, () => false),
    videos: diff(new Map(videoData.map((v) => [v.videoId, v])), videos, (row, data) => row.channelKey !== data.channelKey),
  };
};

/** Share of the currently available channels that the plan would remove. */
export const removalShare = (plan: CatalogPlan, channels: IndexedRow[]): number => {
  const available = channels.filter((row) => row.status === 'available').length;
  return available === 0 ? 0 : plan.channels.remove.length / available;
};
