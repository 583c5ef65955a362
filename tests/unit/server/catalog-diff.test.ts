import { generateCatalog } from '../../../sandbox/src';
import { catalogResponseSchema } from '../../../server/src/schemas/osteocom';
import { createPlanner, removalShare, storedChannelHash, storedVideoHash, toChannelData, type IndexedRow } from '../../../server/src/services/catalog/catalog-sync/diff';

const catalog = () => catalogResponseSchema.parse({ catalog: generateCatalog({ channels: 4, videosPerChannel: 3 }) }).catalog;
type Catalog = ReturnType<typeof catalog>;

/** The plan of a whole catalog at once, channel by channel as the sync streams it. */
const planCatalog = (channels: Catalog, channelIndex: IndexedRow[], videoIndex: IndexedRow[]) => {
  const planner = createPlanner(channelIndex, videoIndex);
  for (const channel of channels) planner.channel(channel);
  return planner.end();
};

/** The index a database holding exactly `channels` would return: the rows an empty mirror's plan creates. */
const indexOf = (channels: Catalog, status: 'available' | 'removed' = 'available') => {
  const { channels: created, videos } = planCatalog(channels, [], []);
  return {
    channels: created.create.map((c, i): IndexedRow => ({ id: i + 1, key: c.idChannel, contentHash: c.contentHash, status })),
    videos: videos.create.map((v, i): IndexedRow => ({ id: i + 1, key: v.videoId, contentHash: v.contentHash, status, channelKey: v.channelKey })),
  };
};

describe('planCatalog', () => {
  it('creates everything into an empty mirror', () => {
    const plan = planCatalog(catalog(), [], []);
    expect(plan.channels.create).toHaveLength(4);
    expect(plan.videos.create).toHaveLength(12);
    expect(plan.videos.create[4]).toMatchObject({ position: 1, channelKey: plan.channels.create[1].idChannel });
  });

  it('finds nothing to do for an unchanged catalog', () => {
    const current = catalog();
    const { channels, videos } = indexOf(current);
    const plan = planCatalog(current, channels, videos);
    expect(plan.channels).toMatchObject({ create: [], update: [], restore: [], remove: [], unchanged: 4 });
    expect(plan.videos).toMatchObject({ create: [], update: [], restore: [], remove: [], unchanged: 12 });
  });

  it('updates only what changed, and notices a video that moved channel', () => {
    const before = catalog();
    const { channels, videos } = indexOf(before);
    const after = catalog();
    after[0].title = 'New title';
    after[2].video.push(after[1].video.pop()!);
    const plan = planCatalog(after, channels, videos);
    expect(plan.channels.update.map((u) => u.id)).toEqual([1]);
    expect(plan.videos.update).toEqual([expect.objectContaining({ moved: true, data: expect.objectContaining({ channelKey: after[2].idChannel }) })]);
  });

  it('removes what disappeared and restores what came back', () => {
    const current = catalog();
    const { channels, videos } = indexOf(current);
    const dropped = planCatalog(current.slice(1), channels, videos);
    expect(dropped.channels.remove).toEqual([1]);
    expect(dropped.videos.remove).toEqual([1, 2, 3]);
    const removedIndex = indexOf(current, 'removed');
    const back = planCatalog(current, removedIndex.channels, removedIndex.videos);
    expect(back.channels.restore).toHaveLength(4);
    expect(back.channels.remove).toEqual([]);
  });

  it('rejects a catalog listing the same channel or video twice', () => {
    const current = catalog();
    expect(() => planCatalog([...current, current[0]], [], [])).toThrow(/twice/);
    current[1].video[0].videoId = current[0].video[0].videoId;
    expect(() => planCatalog(current, [], [])).toThrow(/video/);
  });

  it('measures the share of available channels a plan would remove', () => {
    const current = catalog();
    const { channels, videos } = indexOf(current);
    expect(removalShare(planCatalog(current.slice(0, 1), channels, videos), channels)).toBe(0.75);
    expect(removalShare(planCatalog([], [], []), [])).toBe(0);
  });
});

describe('stored row hashes (drift detection)', () => {
  const [channel] = catalogResponseSchema.parse({ catalog: generateCatalog({ channels: 1, videosPerChannel: 2 }) }).catalog;

  it('match the catalog hash for a row as each database returns it, and differ once a field drifted', () => {
    const data = toChannelData(channel);
    const { contentHash, ...fields } = data;
    // SQLite and MySQL return the JSON column as text, PostgreSQL as an object; integers may come back as strings.
    expect(storedChannelHash({ ...fields, authors: JSON.stringify(fields.authors) })).toBe(contentHash);
    expect(storedChannelHash({ ...fields, authors: fields.authors, price: String(fields.price) as unknown as number })).toBe(contentHash);
    expect(storedChannelHash({ ...fields, title: 'Edited' })).not.toBe(contentHash);
    for (const video of planCatalog([channel], [], []).videos.create) {
      const { contentHash: hash, ...row } = video;
      expect(storedVideoHash(row)).toBe(hash);
      expect(storedVideoHash({ ...row, duration: 1 })).not.toBe(hash);
    }
  });
});
