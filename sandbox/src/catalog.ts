import crypto from 'node:crypto';
import fs from 'node:fs';
import { isRecord } from './http';

export interface SandboxVideo {
  videoId: string;
  title: string;
  /** Seconds. */
  duration: number;
  videoQuality: string;
}

/** A channel exactly as `contentLicensing_catalog` returns it. */
export interface SandboxChannel {
  idChannel: string;
  title: string;
  subtitle?: string;
  htmlDescription?: string;
  price: number;
  cover?: string;
  background?: string;
  trailer?: string;
  authors: { name: string; image: string }[];
  video: SandboxVideo[];
}

export interface CatalogSize {
  channels: number;
  videosPerChannel: number;
  /** Different seeds give different ids; default 'osteocom'. */
  seed?: string;
  /** Where covers, backgrounds, trailers and author images point; default Osteocom's (fictional) CDN. */
  mediaBaseUrl?: string;
}

const PROCEDURES = [
  'Arthroscopy',
  'Arthroplasty',
  'Osteotomy',
  'Fracture Fixation',
  'Ligament Reconstruction',
  'Tendon Repair',
  'Revision Surgery',
  'Fusion',
];
const REGIONS = ['Knee', 'Hip', 'Shoulder', 'Spine', 'Ankle', 'Wrist', 'Elbow', 'Foot'];
const LEVELS = ['Fundamentals of', 'Advanced', 'Masterclass in'];
const STEPS = [
  'Indications and planning',
  'Patient positioning',
  'Surgical approach',
  'Exposure and landmarks',
  'Key steps',
  'Implant placement',
  'Closure',
  'Complications and pitfalls',
  'Post-operative care',
  'Case discussion',
];
const SURGEONS = [
  'Dr. Anna Smith',
  'Dr. Marco Rossi',
  'Dr. Lena Müller',
  'Dr. Kenji Tanaka',
  'Dr. Lucía García',
  'Dr. Claire Dubois',
  'Dr. Omar Haddad',
];
const QUALITIES = ['HD', 'FULL_HD', '4K'];
const CDN = 'https://cdn.osteocom.test';

/** One-shot crypto.hash (Node ≥ 20.12) is twice as fast as createHash, which matters at 100,000 videos. */
const sha1: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha1', text)
    : (text) => crypto.createHash('sha1').update(text).digest('hex');

/** 40 hex digits: the first 24 make a Mongo-like id (as Osteocom's), the rest stable attributes. */
const digest = (seed: string, key: string) => sha1(`${seed}:${key}`);

/** A number from hex digits `from`..`from + 4` past the id, i.e. 0..65535. */
const spare = (hash: string, from: number) => parseInt(hash.slice(24 + from, 28 + from), 16);

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const topicOf = (c: number) => {
  const procedure = PROCEDURES[c % PROCEDURES.length];
  const region = REGIONS[Math.floor(c / PROCEDURES.length) % REGIONS.length];
  const combos = PROCEDURES.length * REGIONS.length;
  const level = LEVELS[Math.floor(c / combos) % LEVELS.length];
  const volume = Math.floor(c / (combos * LEVELS.length));
  return {
    topic: `${region} ${procedure}`,
    title: `${level} ${region} ${procedure}${volume ? ` — Vol. ${volume + 1}` : ''}`,
  };
};

const video = (seed: string, c: number, v: number, topic: string): SandboxVideo => {
  const hash = digest(seed, `video-${c}-${v}`);
  const step = STEPS[v % STEPS.length];
  const part = Math.floor(v / STEPS.length);
  return {
    videoId: hash.slice(0, 24),
    title: `${step}: ${topic}${part ? ` (part ${part + 1})` : ''}`,
    duration: 300 + (spare(hash, 0) % 5101),
    videoQuality: QUALITIES[spare(hash, 4) % QUALITIES.length],
  };
};

const channel = (seed: string, c: number, videosPerChannel: number, media: string): SandboxChannel => {
  const hash = digest(seed, `channel-${c}`);
  const idChannel = hash.slice(0, 24);
  const { topic, title } = topicOf(c);
  const lead = spare(hash, 0) % SURGEONS.length;
  // One or two distinct authors.
  const authors = [
    SURGEONS[lead],
    SURGEONS[(lead + 1 + (spare(hash, 4) % 3)) % SURGEONS.length],
  ].slice(0, 1 + (spare(hash, 8) % 2));
  return {
    idChannel,
    title,
    subtitle: `Step-by-step ${topic.toLowerCase()} from the operating room`,
    htmlDescription: `<p>A complete course on <strong>${topic.toLowerCase()}</strong>: indications, technique and pitfalls, filmed live.</p>`,
    price: 50 + (spare(hash, 12) % 46) * 10,
    cover: `${media}/covers/${idChannel}.jpg`,
    background: `${media}/backgrounds/${idChannel}.jpg`,
    trailer: `${media}/trailers/${idChannel}.mp4`,
    authors: authors.map((name) => ({ name, image: `${media}/authors/${slug(name)}.jpg` })),
    video: Array.from({ length: videosPerChannel }, (_, v) => video(seed, c, v, topic)),
  };
};

/** The same arguments always give the same catalog, so tests and benchmarks can rely on it. */
export const generateCatalog = ({
  channels,
  videosPerChannel,
  seed = 'osteocom',
  mediaBaseUrl = CDN,
}: CatalogSize): SandboxChannel[] =>
  Array.from({ length: channels }, (_, c) => channel(seed, c, videosPerChannel, mediaBaseUrl));

/**
 * Checks the little the sandbox itself relies on (ids to look videos up); everything else is
 * served as given, so tests can feed the plugin odd but well-keyed channels.
 */
export const assertCatalog = (value: unknown): SandboxChannel[] => {
  if (!Array.isArray(value)) throw new Error('a catalog is an array of channels');
  const channelIds = new Set<string>();
  value.forEach((item: unknown, i) => {
    if (!isRecord(item) || typeof item.idChannel !== 'string' || !Array.isArray(item.video)) {
      throw new Error(`channel ${i}: needs a string idChannel and a video array`);
    }
    if (channelIds.has(item.idChannel))
      throw new Error(`channel ${i}: duplicate idChannel ${item.idChannel}`);
    channelIds.add(item.idChannel);
    if (!item.video.every((v: unknown) => isRecord(v) && typeof v.videoId === 'string')) {
      throw new Error(`channel ${item.idChannel}: every video needs a string videoId`);
    }
  });
  return value as SandboxChannel[];
};

/** Reads `{ "catalog": [...] }` (a saved catalog response) or a bare array of channels. */
export const loadCatalogFile = (file: string): SandboxChannel[] => {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const catalog = isRecord(parsed) ? parsed.catalog : parsed;
  if (!Array.isArray(catalog))
    throw new Error(`${file}: expected { "catalog": [...] } or an array of channels`);
  return assertCatalog(catalog);
};
