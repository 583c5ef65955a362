import { createHash } from 'node:crypto';
import fs from 'node:fs';

export interface SandboxVideo {
  videoId: string;
  title: string;
  duration: number;
  videoQuality: string;
}

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
  seed?: string;
}

const PROCEDURES = ['Arthroscopy', 'Arthroplasty', 'Osteotomy', 'Fracture Fixation', 'Ligament Reconstruction', 'Spinal Fusion', 'Tendon Repair', 'Revision Surgery'];
const REGIONS = ['Knee', 'Hip', 'Shoulder', 'Spine', 'Ankle', 'Wrist', 'Elbow', 'Foot'];
const LEVELS = ['Fundamentals', 'Advanced', 'Masterclass'];
const SURGEONS = ['Dr. Smith', 'Dr. Rossi', 'Dr. Müller', 'Dr. Tanaka', 'Dr. García', 'Dr. Dubois'];
const QUALITIES = ['HD', 'FULL_HD', '4K'];

const hexId = (seed: string, key: string) => createHash('sha1').update(`${seed}:${key}`).digest('hex').slice(0, 24);

const pick = <T>(list: T[], n: number) => list[n % list.length];

/** The same arguments always give the same catalog, so tests and benchmarks can rely on it. */
export const generateCatalog = ({ channels, videosPerChannel, seed = 'osteocom' }: CatalogSize): SandboxChannel[] =>
  Array.from({ length: channels }, (_, c) => {
    const idChannel = hexId(seed, `channel-${c}`);
    const topic = `${pick(PROCEDURES, c)} of the ${pick(REGIONS, Math.floor(c / PROCEDURES.length))}`;
    return {
      idChannel,
      title: `${pick(LEVELS, c)} ${topic} ${c + 1}`,
      subtitle: `Step-by-step ${topic.toLowerCase()} techniques`,
      htmlDescription: `<p>A complete course on ${topic.toLowerCase()}, filmed in the operating room.</p>`,
      price: 50 + (c % 20) * 10,
      cover: `https://cdn.osteocom.test/covers/${idChannel}.jpg`,
      background: `https://cdn.osteocom.test/backgrounds/${idChannel}.jpg`,
      trailer: `https://cdn.osteocom.test/trailers/${idChannel}.mp4`,
      authors: [{ name: pick(SURGEONS, c), image: `https://cdn.osteocom.test/authors/${c % SURGEONS.length}.jpg` }],
      video: Array.from({ length: videosPerChannel }, (_, v) => ({
        videoId: hexId(seed, `video-${c}-${v}`),
        title: `${topic}: lesson ${v + 1}`,
        duration: 300 + ((c * 31 + v * 97) % 5101),
        videoQuality: pick(QUALITIES, c + v),
      })),
    };
  });

/** Reads `{ catalog: [...] }` or a bare array. */
export const loadCatalogFile = (file: string): SandboxChannel[] => {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  const catalog = Array.isArray(parsed) ? parsed : (parsed as { catalog?: unknown }).catalog;
  if (!Array.isArray(catalog)) throw new Error(`${file}: expected { "catalog": [...] } or an array of channels`);
  return catalog as SandboxChannel[];
};
