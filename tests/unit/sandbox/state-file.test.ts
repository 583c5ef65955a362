/**
 * The sandbox keeps its customers across restarts in a state file (issue 27): `npm start` points
 * it beside the playground's SQLite database, so after a restart Osteocom still knows whom the
 * admin shows as active.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../../../sandbox/src';
import { call, clientId, control, login } from './client';

describe('sandbox state file', () => {
  let dir: string;
  let file: string;
  let sb: Sandbox | undefined;

  const start = async () => {
    sb = createSandbox({ catalog: { channels: 2, videosPerChannel: 1 }, stateFile: file });
    await sb.listen();
    return sb;
  };

  const restart = async () => {
    await sb?.close();
    return start();
  };

  const authorize = async (userId: string, channelId: string) =>
    call(sb!, 'contentAccessAuthorization', { clientId, userId, products: [{ productId: channelId, price: 100 }] }, await login(sb!));

  const videoAccess = async (userId: string, accessKey: string, channel = 0) =>
    call(sb!, 'videoAccess', { clientId, userId, userAccessKey: accessKey, videoId: sb!.catalog[channel].video[0].videoId }, await login(sb!));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osteocom-sandbox-state-'));
    file = path.join(dir, '.tmp', 'sandbox.json');
  });

  afterEach(async () => {
    await sb?.close();
    sb = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps customers, their access keys and revocations across a restart', async () => {
    await start();
    const [first, second] = sb!.catalog.map((channel) => channel.idChannel);
    const accessKey = (await authorize('kept', first)).body.token as string;
    await authorize('kept', second);
    expect((await call(sb!, 'revocateActivation', { clientId, userId: 'kept', channelId: second }, await login(sb!))).status).toBe(200);

    await restart();
    expect(sb!.customer('kept')).toMatchObject({ accessKey, activations: { [first]: {}, [second]: { cancellationDate: expect.any(String) } } });
    expect((await videoAccess('kept', accessKey)).status).toBe(200);
    expect((await videoAccess('kept', accessKey, 1)).status).toBe(401);
  });

  it('verifies a player token issued before the restart', async () => {
    await start();
    const accessKey = (await authorize('viewer', sb!.catalog[0].idChannel)).body.token as string;
    const token = (await videoAccess('viewer', accessKey)).body.tokenAuthVideo as string;
    await restart();
    expect(sb!.verifyVideoToken(token)).toMatchObject({ userId: 'viewer' });
  });

  it('forgets everything after a reset through the control API, and without a file keeps nothing', async () => {
    await start();
    await authorize('gone', sb!.catalog[0].idChannel);
    expect((await control(sb!, '/reset', 'POST', {})).status).toBe(200);
    await restart();
    expect(sb!.customer('gone')).toBeUndefined();

    const memoryOnly = createSandbox({ catalog: { channels: 1, videosPerChannel: 1 } });
    await memoryOnly.listen();
    await memoryOnly.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['sandbox.json']);
  });

  it('refuses a state file it cannot read, naming it', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ not json');
    expect(() => createSandbox({ stateFile: file })).toThrow(`The sandbox state file ${file} cannot be read`);
  });
});
