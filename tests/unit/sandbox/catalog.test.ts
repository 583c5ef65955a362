import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createSandbox,
  generateCatalog,
  loadCatalogFile,
  type SandboxChannel,
} from '../../../sandbox/src';
import { call, clientId, login } from './client';

describe('generateCatalog', () => {
  it('gives the same channels for the same arguments, other ids for another seed', () => {
    const catalog = generateCatalog({ channels: 5, videosPerChannel: 3 });
    expect(generateCatalog({ channels: 5, videosPerChannel: 3 })).toEqual(catalog);
    expect(generateCatalog({ channels: 5, videosPerChannel: 3, seed: 'osteocom' })).toEqual(
      catalog
    );
    expect(generateCatalog({ channels: 7, videosPerChannel: 3 }).slice(0, 5)).toEqual(catalog);
    const other = generateCatalog({ channels: 5, videosPerChannel: 3, seed: 'other' });
    expect(other.map((c) => c.idChannel)).not.toEqual(catalog.map((c) => c.idChannel));
    expect(other.map((c) => c.title)).toEqual(catalog.map((c) => c.title));
  });

  it('makes channels shaped and valued like Osteocom’s', () => {
    const catalog = generateCatalog({ channels: 40, videosPerChannel: 12 });
    for (const channel of catalog) {
      expect(channel.idChannel).toMatch(/^[0-9a-f]{24}$/);
      expect(channel.title).toMatch(
        /(Arthroscopy|Arthroplasty|Osteotomy|Fixation|Reconstruction|Repair|Surgery|Fusion)/
      );
      expect(Number.isInteger(channel.price) && channel.price > 0).toBe(true);
      expect(channel.cover).toBe(`https://cdn.osteocom.test/covers/${channel.idChannel}.jpg`);
      expect(channel.authors.length).toBeGreaterThanOrEqual(1);
      expect(channel.video).toHaveLength(12);
      for (const video of channel.video) {
        expect(video.videoId).toMatch(/^[0-9a-f]{24}$/);
        expect(
          Number.isInteger(video.duration) && video.duration >= 300 && video.duration <= 5400
        ).toBe(true);
        expect(['HD', 'FULL_HD', '4K']).toContain(video.videoQuality);
      }
    }
    expect(new Set(catalog.map((c) => c.title)).size).toBe(40);
    expect(new Set(catalog.map((c) => c.price)).size).toBeGreaterThan(5);
    expect(new Set(catalog.flatMap((c) => c.video.map((v) => v.videoQuality))).size).toBe(3);
  });

  it('generates 2,000 channels × 50 videos with unique ids', () => {
    const big = generateCatalog({ channels: 2000, videosPerChannel: 50 });
    expect(big).toHaveLength(2000);
    expect(big.reduce((sum, c) => sum + c.video.length, 0)).toBe(100_000);
    expect(new Set(big.map((c) => c.idChannel)).size).toBe(2000);
    expect(new Set(big.flatMap((c) => c.video.map((v) => v.videoId))).size).toBe(100_000);
  });
});

describe('loadCatalogFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osteocom-sandbox-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('reads a saved catalog response or a bare array', () => {
    const catalog = generateCatalog({ channels: 2, videosPerChannel: 2 });
    expect(loadCatalogFile(write('wrapped.json', { catalog }))).toEqual(catalog);
    expect(loadCatalogFile(write('bare.json', catalog))).toEqual(catalog);
  });

  it('refuses anything else, naming the file', () => {
    expect(() => loadCatalogFile(write('object.json', { nope: 1 }))).toThrow(
      /object\.json: expected/
    );
    expect(() => loadCatalogFile(write('ids.json', [{ title: 'no id', video: [] }]))).toThrow(
      /idChannel/
    );
    expect(() => loadCatalogFile(write('broken.json', '{'))).toThrow(SyntaxError);
    expect(() => loadCatalogFile(path.join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
});

/** Matched by message: a structuredClone'd array comes from another realm than jest's TypeError. */
const FROZEN = /read.only|not extensible|Cannot delete/;

describe('the sandbox catalog', () => {
  const mine = generateCatalog({ channels: 3, videosPerChannel: 2 });

  it('serves changes made with setCatalog, updateChannel, removeChannel and addChannel, videos included', async () => {
    const sb = createSandbox({ catalog: mine });
    await sb.listen();
    try {
      const token = await login(sb);
      const served = async () =>
        (await call(sb, 'catalog', { clientId }, token)).body.catalog as SandboxChannel[];
      const userAccessKey = (
        await call(
          sb,
          'contentAccessAuthorization',
          {
            clientId,
            userId: 'u',
            products: mine.map((c) => ({ productId: c.idChannel, price: 1 })),
          },
          token
        )
      ).body.token;
      const videoStatus = async (videoId: string) =>
        (await call(sb, 'videoAccess', { clientId, userId: 'u', videoId, userAccessKey }, token))
          .status;

      sb.updateChannel(mine[0].idChannel, {
        title: 'Renamed',
        video: [{ videoId: 'v-new', title: 'New', duration: 600, videoQuality: 'HD' }],
      });
      expect((await served())[0]).toMatchObject({
        idChannel: mine[0].idChannel,
        title: 'Renamed',
        price: mine[0].price,
      });
      expect(await videoStatus('v-new')).toBe(200);
      expect(await videoStatus(mine[0].video[0].videoId)).toBe(404);

      sb.removeChannel(mine[1].idChannel);
      expect((await served()).map((c) => c.idChannel)).toEqual([
        mine[0].idChannel,
        mine[2].idChannel,
      ]);
      expect(await videoStatus(mine[1].video[0].videoId)).toBe(404);

      sb.addChannel(mine[1]);
      expect((await served()).map((c) => c.idChannel)).toEqual([
        mine[0].idChannel,
        mine[2].idChannel,
        mine[1].idChannel,
      ]);
      expect(await videoStatus(mine[1].video[0].videoId)).toBe(200);

      sb.setCatalog(mine);
      expect(await served()).toEqual(mine);
    } finally {
      await sb.close();
    }
  });

  it('keeps its own copy: the caller’s objects stay theirs, and sandbox.catalog cannot be changed in place', () => {
    const input = generateCatalog({ channels: 2, videosPerChannel: 1 });
    const sb = createSandbox({ catalog: input });
    input[0].title = 'changed by the caller';
    expect(sb.catalog[0].title).not.toBe('changed by the caller');
    expect(Object.isFrozen(input[0])).toBe(false);
    expect(() => {
      sb.catalog[0].title = 'x';
    }).toThrow(FROZEN);
    expect(() => sb.catalog[0].video.push(sb.catalog[0].video[0])).toThrow(FROZEN);
    expect(() => sb.catalog.pop()).toThrow(FROZEN);
  });

  it('refuses changes naming unknown or duplicate channels', () => {
    const sb = createSandbox({ catalog: mine });
    expect(() => sb.updateChannel('nope', { title: 'x' })).toThrow(/nope/);
    expect(() => sb.removeChannel('nope')).toThrow(/nope/);
    expect(() => sb.addChannel(mine[0])).toThrow(/duplicate/);
    expect(sb.catalog).toEqual(mine);
  });
});
