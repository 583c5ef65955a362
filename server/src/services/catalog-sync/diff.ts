import crypto from 'node:crypto';
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

/** One-shot `crypto.hash` (Node ≥ 20.12) is about 30% faster than createHash for 100,000 rows. */
const sha1 = (text: string) => (crypto.hash ? crypto.hash('sha1', text) : crypto.createHash('sha1').update(text).digest('hex'));

const withHash = <T extends object>(data: T): T & { contentHash: string } =>
  Object.assign(data, { contentHash: sha1(JSON.stringify(data)) });

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

const duplicate = (what: string, key: string) =>
  new OsteocomError('UPSTREAM_INVALID_RESPONSE', `The catalog lists the ${what} "${key}" twice; nothing was written.`);

/**
 * Compares incoming items with the indexed rows one at a time, keeping only what must be
 * written: an unchanged item's data is dropped at once, which keeps a no-op sync of 100,000
 * videos light on memory.
 */
const diff = <T extends { contentHash: string }>(
  what: string,
  incoming: Iterable<[string, T]>,
  existing: IndexedRow[],
  moved: (row: IndexedRow, data: T) => boolean
): Changes<T> => {
  const changes: Changes<T> = { create: [], update: [], restore: [], remove: [], unchanged: 0 };
  const rows = new Map<string, IndexedRow>();
  for (const row of existing) rows.set(row.key, row);
  const seen = new Set<string>();
  for (const [key, data] of incoming) {
    if (seen.has(key)) throw duplicate(what, key);
    seen.add(key);
    const row = rows.get(key);
    if (!row) {
      changes.create.push(data);
      continue;
    }
    const entry = { id: row.id, data, moved: moved(row, data) };
    if (row.status === 'removed') changes.restore.push(entry);
    else if (row.contentHash !== data.contentHash || entry.moved) changes.update.push(entry);
    else changes.unchanged += 1;
  }
  for (const row of existing) if (!seen.has(row.key) && row.status === 'available') changes.remove.push(row.id);
  return changes;
};

function* channelEntries(catalog: CatalogChannel[]): Generator<[string, ChannelData]> {
  for (const channel of catalog) yield [channel.idChannel, toChannelData(channel)];
}

function* videoEntries(catalog: CatalogChannel[]): Generator<[string, VideoData]> {
  for (const channel of catalog) for (const video of toVideoData(channel)) yield [video.videoId, video];
}

/** What a sync must write to make the mirror equal to the catalog; pure, so it can be tested alone. */
export const planCatalog = (catalog: CatalogChannel[], channels: IndexedRow[], videos: IndexedRow[]): CatalogPlan => ({
  channels: diff('channel', channelEntries(catalog), channels, () => false),
  videos: diff('video', videoEntries(catalog), videos, (row, data) => row.channelKey !== data.channelKey),
});

/** Share of the currently available channels that the plan would remove. */
export const removalShare = (plan: CatalogPlan, channels: IndexedRow[]): number => {
  const available = channels.filter((row) => row.status === 'available').length;
  return available === 0 ? 0 : plan.channels.remove.length / available;
};
