import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken } from '../helpers/auth';
import { captureLogs } from '../helpers/capture';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

/**
 * A site's webhooks: one subscribed to Strapi's `entry.*` events (as a Next.js revalidation hook
 * is) sees the sync's catalog changes; one subscribed in the plugin's Settings (Webhook events)
 * receives the plugin's own events, delivered by Strapi.
 */
const catalog = generateCatalog({ channels: 3, videosPerChannel: 2 });
const [first, second, third] = catalog;

type DeliveryBody = { model?: string; uid?: string; entry?: Record<string, unknown> } & Record<string, unknown>;
const startReceiver = () => startWebhookReceiver<DeliveryBody>();
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const CHANNEL = 'plugin::osteocom.channel';
const VIDEO = 'plugin::osteocom.video';

describe('webhook events a site can use', () => {
  let app: TestApp;
  let admin: string;
  let shop: string;
  let site: Receiver;
  let plugin: Receiver;

  const sync = async () => {
    const res = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`);
    expect(res.body.data.status).toBe('succeeded');
  };
  const createWebhook = async (name: string, url: string, events: string[]) => {
    const res = await app.http.post('/admin/webhooks').set('Authorization', `Bearer ${admin}`).send({ name, url, headers: {}, events });
    expect(res.status).toBe(201);
    return String(res.body.data.id);
  };
  const entriesOf = (receiver: Receiver, event: string, uid: string) =>
    receiver.deliveries.filter((d) => d.event === event && d.body.uid === uid).map((d) => d.body.entry as Record<string, unknown>);
  const channelKeys = (event: string) => entriesOf(site, event, CHANNEL).map((entry) => entry.idChannel as string);

  beforeAll(async () => {
    site = await startReceiver();
    plugin = await startReceiver();
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    shop = await createApiToken(app, 'custom', ['plugin::osteocom.access.authorize']);
  });

  afterAll(async () => {
    await app.close();
    await site.close();
    await plugin.close();
  });

  it('a first sync fires entry.create for each channel and video, shaped like Strapi\'s own', async () => {
    await createWebhook('next.js revalidate', site.url, ['entry.create', 'entry.update', 'entry.delete']);
    const logs = captureLogs(app.strapi.log);
    try {
      await sync();
    } finally {
      logs.restore();
    }
    expect(logs.lines.map((line) => line.text)).toContainEqual(
      expect.stringMatching(/catalog sync \d+ emitted 9 entry events in \d+ ms: channels 3 created, 0 updated; videos 6 created, 0 updated/)
    );
    const videos = catalog.flatMap((channel) => channel.video.map((video) => video.videoId));
    await waitFor('an entry.create per channel and video', () => entriesOf(site, 'entry.create', CHANNEL).length === catalog.length && entriesOf(site, 'entry.create', VIDEO).length === videos.length);
    expect(channelKeys('entry.create').sort()).toEqual(catalog.map((c) => c.idChannel).sort());
    expect(entriesOf(site, 'entry.create', VIDEO).map((entry) => entry.videoId).sort()).toEqual([...videos].sort());

    const stored = await app.strapi.db.query(CHANNEL).findOne({ where: { idChannel: first.idChannel } });
    const delivery = site.deliveries.find((d) => d.body.entry?.idChannel === first.idChannel);
    expect(delivery?.body).toMatchObject({ event: 'entry.create', model: 'channel', uid: CHANNEL, entry: { id: stored.id, documentId: stored.documentId, title: first.title } });
    // Sanitized as Strapi's own output: private fields stay out.
    expect(delivery?.body.entry).not.toHaveProperty('contentHash');
    expect(site.deliveries.filter((d) => d.event === 'entry.update')).toHaveLength(0);
  });

  it('a sync fires entry.update only for the changed rows; a removal is an update to availability removed', async () => {
    const before = site.deliveries.length;
    app.sandbox.updateChannel(second.idChannel, { title: 'Renamed upstream' });
    await sync();
    await waitFor('the renamed channel\'s entry.update', () => channelKeys('entry.update').includes(second.idChannel));

    app.sandbox.removeChannel(third.idChannel);
    await sync();
    const removedVideos = third.video.map((video) => video.videoId).sort();
    await waitFor('the removed channel and its videos announced', () =>
      channelKeys('entry.update').includes(third.idChannel) && entriesOf(site, 'entry.update', VIDEO).length === removedVideos.length
    );
    const since = site.deliveries.slice(before);
    expect(since.map((d) => `${d.event} ${d.body.uid} ${String(d.body.entry?.idChannel ?? d.body.entry?.videoId)}`).sort()).toEqual(
      [`entry.update ${CHANNEL} ${second.idChannel}`, `entry.update ${CHANNEL} ${third.idChannel}`, ...removedVideos.map((id) => `entry.update ${VIDEO} ${id}`)].sort()
    );
    const renamed = since.find((d) => d.body.entry?.idChannel === second.idChannel);
    expect(renamed?.body.entry).toMatchObject({ title: 'Renamed upstream', documentId: expect.any(String) });
    expect(since.find((d) => d.body.entry?.idChannel === third.idChannel)?.body.entry).toMatchObject({ availability: 'removed' });
  });

  it('the Webhook events section lists the plugin events and the site webhooks', async () => {
    const res = await app.http.get('/osteocom/webhook-events').set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    expect(res.body.data.events).toContain('osteocom.access.granted');
    expect(res.body.data.webhooks).toEqual([expect.objectContaining({ name: 'next.js revalidate', url: site.url, isEnabled: true, events: [] })]);
  });

  it('subscribes a Strapi webhook to a plugin event, keeping its other events, and Strapi delivers it', async () => {
    const id = await createWebhook('crm', plugin.url, ['entry.publish']);
    const res = await app.http.put(`/osteocom/webhook-events/${id}`).set('Authorization', `Bearer ${admin}`).send({ events: ['osteocom.access.granted'] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, name: 'crm', events: ['osteocom.access.granted'] });
    const stored = await app.http.get(`/admin/webhooks/${id}`).set('Authorization', `Bearer ${admin}`);
    expect(stored.body.data.events.sort()).toEqual(['entry.publish', 'osteocom.access.granted']);

    const granted = await app.http
      .post('/api/osteocom/authorizations')
      .set('Authorization', `Bearer ${shop}`)
      .send({ userId: 'hook-user-1', products: [{ productId: first.idChannel }] });
    expect(granted.status).toBe(200);
    const [delivery] = await waitFor('the access event delivered', () => plugin.deliveries.length > 0 && plugin.deliveries);
    expect(delivery.body).toMatchObject({ event: 'osteocom.access.granted', userId: 'hook-user-1', channelIds: [first.idChannel] });

    // Unsubscribed: the plugin events go, the webhook's own events stay.
    const off = await app.http.put(`/osteocom/webhook-events/${id}`).set('Authorization', `Bearer ${admin}`).send({ events: [] });
    expect(off.body.data.events).toEqual([]);
    expect((await app.http.get(`/admin/webhooks/${id}`).set('Authorization', `Bearer ${admin}`)).body.data.events).toEqual(['entry.publish']);
  });

  it('refuses an unknown event and an unknown webhook with a stable code', async () => {
    const list = await app.http.get('/osteocom/webhook-events').set('Authorization', `Bearer ${admin}`);
    const id = list.body.data.webhooks[0].id as string;
    const bad = await app.http.put(`/osteocom/webhook-events/${id}`).set('Authorization', `Bearer ${admin}`).send({ events: ['entry.update'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.code).toBe('VALIDATION_ERROR');
    const missing = await app.http.put('/osteocom/webhook-events/999999').set('Authorization', `Bearer ${admin}`).send({ events: [] });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details.code).toBe('NOT_FOUND');
  });

  it('requires the settings permissions', async () => {
    const reader = (await createAdmin(app, ['plugin::osteocom.settings.read'])).token;
    const outsider = (await createAdmin(app, ['plugin::osteocom.read'])).token;
    const list = await app.http.get('/osteocom/webhook-events').set('Authorization', `Bearer ${admin}`);
    const id = list.body.data.webhooks[0].id as string;
    expect((await app.http.get('/osteocom/webhook-events').set('Authorization', `Bearer ${reader}`)).status).toBe(200);
    expect((await app.http.put(`/osteocom/webhook-events/${id}`).set('Authorization', `Bearer ${reader}`).send({ events: [] })).status).toBe(403);
    expect((await app.http.get('/osteocom/webhook-events').set('Authorization', `Bearer ${outsider}`)).status).toBe(403);
  });
});
