/**
 * The server API a site's own code calls in-process (README, "Calling the plugin from your own
 * code"), typed by `strapi-plugin-osteocom/types`: the same validation and lifecycle as the routes.
 */
import { generateCatalog } from '../../sandbox/src';
import type { OsteocomAccessService, OsteocomCatalogService, OsteocomVideoTokenService } from '../../server/src/types';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 2 });
const [first] = catalog;

describe('the server API for a site’s own code', () => {
  let app: TestApp;
  let admin: string;
  const access = () => app.strapi.plugin('osteocom').service<OsteocomAccessService>('access');
  const videoToken = () => app.strapi.plugin('osteocom').service<OsteocomVideoTokenService>('video-token');
  const catalogReader = () => app.strapi.plugin('osteocom').service<OsteocomCatalogService>('catalog');
  /** The error a call throws, or fails the test when it resolves. */
  const thrown = (call: Promise<unknown>) =>
    call.then(
      () => {
        throw new Error('expected the call to throw');
      },
      (error: { status: number; code: string; details: { code: string } }) => ({ status: error.status, code: error.code, detailsCode: error.details.code })
    );

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    const run = await app.http.post('/osteocom/sync?wait=true').set({ Authorization: `Bearer ${admin}` });
    expect(run.body.data.status).toBe('succeeded');
  });

  afterAll(() => app.close());

  it('authorizes, issues a token and revokes without an HTTP call into the site', async () => {
    const granted = await access().authorize({ userId: 'site-buyer', email: 'ann@example.com', products: [{ productId: first.idChannel }] });
    expect(granted).toMatchObject({ state: 'active', userId: 'site-buyer', entitlements: [expect.objectContaining({ channelKey: first.idChannel, status: 'active', price: first.price })] });
    expect(app.sandbox.customer('site-buyer')!.activations[first.idChannel]).toBeDefined();
    // The audit names the site's code as a system actor.
    const audit = await app.strapi.db.query('plugin::osteocom.audit-event').findOne({ where: { subjectUserId: 'site-buyer', action: 'authorize' } });
    expect(audit).toMatchObject({ actorType: 'system', actorId: 'site', outcome: 'success' });

    const videoId = first.video[0].videoId;
    const token = await videoToken().issue({ userId: 'site-buyer', videoId });
    expect(app.sandbox.verifyVideoToken(token.token)).toMatchObject({ userId: 'site-buyer', videoId });

    const revoked = await access().revoke({ userId: 'site-buyer', channelId: first.idChannel });
    expect(revoked).toMatchObject({ state: 'revoked', entitlements: [expect.objectContaining({ channelKey: first.idChannel, status: 'revoked' })] });
    expect(app.sandbox.customer('site-buyer')!.activations[first.idChannel].cancellationDate).toEqual(expect.any(String));
    expect(await thrown(videoToken().issue({ userId: 'site-buyer', videoId }))).toEqual({ status: 403, code: 'NOT_ENTITLED', detailsCode: 'NOT_ENTITLED' });
  });

  it('throws the route’s 4xx-coded error for bad input, without calling Osteocom', async () => {
    const before = app.sandbox.count('contentAccessAuthorization');
    const badBody = { userId: 'site-buyer', products: [] };
    const route = await app.http.post('/osteocom/authorizations').set({ Authorization: `Bearer ${admin}` }).send(badBody);
    const viaService = await thrown(access().authorize(badBody));
    expect(viaService).toEqual({ status: route.status, code: route.body.error.details.code, detailsCode: 'VALIDATION_ERROR' });
    expect(viaService.status).toBe(400);

    expect(await thrown(access().authorize({ userId: 'site-buyer', products: [{ productId: 'no-such-channel' }] }))).toMatchObject({ status: 400, code: 'UNKNOWN_CHANNEL' });
    expect(await thrown(access().revoke({ userId: 'site-buyer' } as never))).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(await thrown(access().revoke({ userId: 'nobody', channelId: first.idChannel }))).toMatchObject({ status: 404, code: 'ENTITLEMENT_NOT_FOUND' });
    expect(await thrown(videoToken().issue({ videoId: first.video[0].videoId } as never))).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(app.sandbox.count('contentAccessAuthorization')).toBe(before);
  });

  it('reads the public catalog as the routes do', async () => {
    const route = await app.http.get('/api/osteocom/channels?pageSize=1');
    const { results, pagination } = await catalogReader().listPublic({ pageSize: 1 });
    expect(JSON.parse(JSON.stringify({ data: results, meta: { pagination } }))).toEqual(route.body);
    expect((await catalogReader().getPublic(first.idChannel)).idChannel).toBe(first.idChannel);
    expect(await thrown(catalogReader().listPublic({ pageSize: 1000 }))).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(await thrown(catalogReader().getPublic('no-such-channel'))).toMatchObject({ status: 404, code: 'CHANNEL_NOT_FOUND' });
  });
});
