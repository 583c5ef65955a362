import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { sleep, waitFor } from '../helpers/wait';
import { startWebhookReceiver, type Delivery } from '../helpers/webhook-receiver';

/**
 * A webhook registered through Strapi's own admin route, for the plugin's events, receives each
 * catalog and access change once, after the HTTP action that made it.
 */
const catalog = generateCatalog({ channels: 4, videosPerChannel: 2 });
const [first, second, third, fourth] = catalog;

const EVENTS = [
  'osteocom.catalog.synced',
  'osteocom.channel.created',
  'osteocom.channel.updated',
  'osteocom.channel.removed',
  'osteocom.channel.restored',
  'osteocom.access.granted',
  'osteocom.access.revoked',
  'osteocom.access.failed',
  'osteocom.access.pending',
  'osteocom.access.paused',
  'osteocom.access.resumed',
];

const startReceiver = () => startWebhookReceiver();

describe('webhook events', () => {
  let app: TestApp;
  let admin: string;
  let shop: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let seen = 0;

  const sync = async () => {
    const res = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    expect(res.body.data.status).toBe('succeeded');
    return res.body.data;
  };
  const authorize = (body: object) => app.http.post('/api/osteocom/authorizations').set('Authorization', `Bearer ${shop}`).send(body);
  const revoke = (body: object) => app.http.post('/api/osteocom/revocations').set('Authorization', `Bearer ${shop}`).send(body);

  /** The deliveries since the previous call, once `count` arrived and nothing more came for a moment (so a duplicate would be seen). */
  const next = async (count: number) => {
    await waitFor(`${count} webhook deliveries`, () => receiver.deliveries.length >= seen + count);
    await sleep(300);
    const batch = receiver.deliveries.slice(seen);
    seen = receiver.deliveries.length;
    expect(batch).toHaveLength(count);
    for (const delivery of batch) expect(delivery.header).toBe(delivery.event);
    return batch;
  };
  const ofEvent = (batch: Delivery[], event: string) => batch.filter((delivery) => delivery.event === event);

  beforeAll(async () => {
    receiver = await startReceiver();
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    shop = await createApiToken(app, 'custom', ['plugin::osteocom.access.authorize', 'plugin::osteocom.access.revoke']);
  });

  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('POST /admin/webhooks accepts the plugin events, and still refuses unknown ones', async () => {
    const unknown = await app.http
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'unknown', url: receiver.url, headers: {}, events: ['osteocom.nope'] });
    expect(unknown.status).toBe(400);
    const res = await app.http
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: 'front-end rebuild', url: receiver.url, headers: {}, events: EVENTS });
    expect(res.status).toBe(201);
    expect(res.body.data.events.sort()).toEqual([...EVENTS].sort());
  });

  it('announces each channel created by the first sync, and the sync with its counts and ids', async () => {
    await sync();
    const batch = await next(catalog.length + 1);
    expect(ofEvent(batch, 'osteocom.channel.created').map((d) => (d.body.channel as { idChannel: string }).idChannel).sort()).toEqual(
      catalog.map((c) => c.idChannel).sort()
    );
    const [synced] = ofEvent(batch, 'osteocom.catalog.synced');
    expect(synced.body).toMatchObject({
      trigger: 'manual',
      counts: { channels: { created: 4, updated: 0, removed: 0, restored: 0 }, videos: { created: 8 } },
      changed: { channels: { created: expect.arrayContaining([first.idChannel]) }, videos: { created: expect.arrayContaining([first.video[0].videoId]) } },
    });
  });

  it('announces nothing when the catalog did not change', async () => {
    await sync();
    await sleep(500);
    expect(receiver.deliveries.length).toBe(seen);
  });

  it('announces an updated and a removed channel, then its restoration', async () => {
    app.sandbox.updateChannel(first.idChannel, { title: 'Renamed upstream' });
    app.sandbox.removeChannel(fourth.idChannel);
    await sync();
    const batch = await next(3);
    expect(ofEvent(batch, 'osteocom.channel.updated').map((d) => d.body.channel)).toEqual([{ idChannel: first.idChannel }]);
    expect(ofEvent(batch, 'osteocom.channel.removed').map((d) => d.body.channel)).toEqual([{ idChannel: fourth.idChannel }]);
    expect(ofEvent(batch, 'osteocom.catalog.synced')[0].body).toMatchObject({
      changed: { channels: { updated: [first.idChannel], removed: [fourth.idChannel] }, videos: { removed: fourth.video.map((v) => v.videoId) } },
    });

    app.sandbox.addChannel(fourth);
    await sync();
    const back = await next(2);
    expect(ofEvent(back, 'osteocom.channel.restored').map((d) => d.body.channel)).toEqual([{ idChannel: fourth.idChannel }]);
    expect(ofEvent(back, 'osteocom.catalog.synced')).toHaveLength(1);
  });

  it('announces access granted and revoked, with the userId and no personal data', async () => {
    const granted = await authorize({ userId: 'hook-user-1', email: 'ann@example.com', name: 'Ann', surname: 'Rossi', products: [{ productId: second.idChannel }] });
    expect(granted.status).toBe(200);
    const [grant] = await next(1);
    expect(grant.body).toMatchObject({ event: 'osteocom.access.granted', userId: 'hook-user-1', channelIds: [second.idChannel] });
    expect(grant.raw).not.toMatch(/ann@example\.com|Rossi|accessKey/);

    // Buying it again changes nothing, and announces nothing.
    expect((await authorize({ userId: 'hook-user-1', products: [{ productId: second.idChannel }] })).status).toBe(200);
    await sleep(300);
    expect(receiver.deliveries.length).toBe(seen);

    expect((await revoke({ userId: 'hook-user-1', channelId: second.idChannel })).status).toBe(200);
    const [revoked] = await next(1);
    expect(revoked.body).toMatchObject({ event: 'osteocom.access.revoked', userId: 'hook-user-1', channelIds: [second.idChannel] });
  });

  it('announces a purchase left pending by an outage once, and its activation by the outbox once', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: 3 });
    expect((await authorize({ userId: 'hook-user-2', products: [{ productId: third.idChannel }] })).status).toBe(202);
    const [pending] = await next(1);
    expect(pending.body).toMatchObject({ event: 'osteocom.access.pending', userId: 'hook-user-2', channelIds: [third.idChannel], operation: 'authorize' });

    await app.strapi.db.query('plugin::osteocom.entitlement').updateMany({ where: { customerKey: 'hook-user-2' }, data: { nextAttemptAt: new Date(0) } });
    await app.strapi.plugin('osteocom').service('outbox').runOnce();
    const [granted] = await next(1);
    expect(granted.body).toMatchObject({ event: 'osteocom.access.granted', userId: 'hook-user-2', channelIds: [third.idChannel] });
  });

  it('announces a purchase Osteocom refuses for good as failed, with the code', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 403 });
    const res = await authorize({ userId: 'hook-user-3', email: 'bob@example.com', products: [{ productId: third.idChannel }] });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const [failed] = await next(1);
    expect(failed.body).toMatchObject({ event: 'osteocom.access.failed', userId: 'hook-user-3', channelIds: [third.idChannel], operation: 'authorize', code: res.body.error.details.code });
    expect(failed.raw).not.toContain('bob@example.com');
  });

  it('emits the same events on the event hub for other plugins', async () => {
    const heard: unknown[] = [];
    const listener = async (payload: unknown) => void heard.push(payload);
    app.strapi.eventHub.on('osteocom.channel.updated', listener);
    try {
      app.sandbox.updateChannel(second.idChannel, { title: 'Renamed again' });
      await sync();
      await next(2);
      expect(heard).toEqual([{ channel: { idChannel: second.idChannel } }]);
    } finally {
      app.strapi.eventHub.off('osteocom.channel.updated', listener);
    }
  });
});
