/**
 * Issue 13, finding 9: Osteocom's refusals of a purchase are reported as Osteocom said them.
 * Only its documented messages are email errors; any other refusal is UPSTREAM_REJECTED with
 * Osteocom's status and message, and the purchase is failed with that reason for editors.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const [channelId] = catalog.map((channel) => channel.idChannel);

describe("finding 9: Osteocom's answers as they are", () => {
  let app: TestApp;
  let admin: string;
  const auth = () => ({ Authorization: `Bearer ${admin}` });
  const authorize = (body: object) => app.http.post('/osteocom/authorizations').set(auth()).send(body);
  const entitlementOf = async (userId: string) =>
    (await app.http.get(`/osteocom/customers/${userId}`).set(auth())).body.data.entitlements[0];

  beforeAll(async () => {
    app = await startTestApp({ sandbox: { catalog } });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set(auth())).body.data.status).toBe('succeeded');
  });
  afterAll(() => app.close());
  afterEach(() => {
    app.sandbox.clearFaults();
    app.sandbox.setAccount({ marketingConsentEnabled: false });
  });

  it('a refusal that is not about the email is UPSTREAM_REJECTED (502), quoting Osteocom; the purchase is failed with that reason', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 403, json: { error: 'Product not enabled for this client' } });
    const res = await authorize({ userId: 'not-enabled', email: 'ann@example.com', products: [{ productId: channelId }] });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({
      status: 502,
      message: 'Osteocom refused the purchase (HTTP 403): "Product not enabled for this client".',
      details: {
        code: 'UPSTREAM_REJECTED',
        upstreamStatus: 403,
        upstreamMessage: 'Product not enabled for this client',
      },
    });
    expect(await entitlementOf('not-enabled')).toMatchObject({
      status: 'failed',
      lastError: expect.stringContaining('Product not enabled for this client'),
    });
  });

  it('a 400 that is not "Email field required" is not EMAIL_REQUIRED', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 400, json: { error: 'Customer blocked' } });
    const res = await authorize({ userId: 'blocked', products: [{ productId: channelId }] });
    expect(res.status).toBe(502);
    expect(res.body.error.details).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamStatus: 400, upstreamMessage: 'Customer blocked' });
  });

  it('an account with marketing consent answers "Email field required": EMAIL_REQUIRED, whatever the customer\'s flag', async () => {
    app.sandbox.setAccount({ marketingConsentEnabled: true });
    const res = await authorize({ userId: 'no-email', marketingConsent: false, products: [{ productId: channelId }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ code: 'EMAIL_REQUIRED', upstreamStatus: 400, upstreamMessage: 'Email field required' });
    expect(app.sandbox.customer('no-email')).toBeUndefined();
  });

  it('"Malformed email" from Osteocom is INVALID_EMAIL', async () => {
    app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 403, json: { error: 'Malformed email' } });
    const res = await authorize({ userId: 'odd-email', email: 'ann@example.com', products: [{ productId: channelId }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ code: 'INVALID_EMAIL', upstreamStatus: 403, upstreamMessage: 'Malformed email' });
  });
});
