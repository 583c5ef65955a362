import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createApiToken, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * With @strapi/plugin-graphql enabled in the playground: the plugin's private types are not in the
 * schema for anyone, the catalog is read-only, and the two end-user operations follow the REST
 * routes' rules and codes.
 */
const catalog = generateCatalog({ channels: 3, videosPerChannel: 2 });
const owned = catalog[0];
const other = catalog[1];
const RATE_LIMIT = 6;

const PRIVATE_TYPE = /^Osteocom(Customer|Entitlement|SyncRun|AuditEvent|Lease)/;

interface GraphqlReply {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; error?: { details?: { code?: string } } } }[];
}

describe('GraphQL', () => {
  let app: TestApp;
  let admin: string;
  let buyer: { user: { documentId: string }; jwt: string };
  let stranger: { user: { documentId: string }; jwt: string };
  const callers: Record<string, string | undefined> = {};

  const graphql = async (auth: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlReply> => {
    const req = app.http.post('/graphql').send({ query, variables });
    const res = await (auth ? req.set('Authorization', `Bearer ${auth}`) : req);
    return { status: res.status, data: res.body.data, errors: res.body.errors };
  };

  const rest = (auth: string | undefined, body: object) => {
    const req = app.http.post('/api/osteocom/video-token').send(body);
    return auth ? req.set('Authorization', `Bearer ${auth}`) : req;
  };

  const errorCode = (reply: GraphqlReply) => reply.errors?.[0]?.extensions?.error?.details?.code;

  const VIDEO_TOKEN = 'mutation($videoId: String!, $userId: String) { osteocomVideoToken(videoId: $videoId, userId: $userId) { videoId token expiresIn expiresAt } }';

  beforeAll(async () => {
    app = await startTestApp({
      sandbox: { catalog },
      env: { PLAYGROUND_GRAPHQL: 'true' },
      pluginConfig: { videoToken: { rateLimit: { max: RATE_LIMIT, windowSeconds: 600 } } },
    });
    admin = (await createAdmin(app, 'super')).token;
    expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin}`)).status).toBe(200);
    // A site that reads the catalog through GraphQL grants the mirrored types' read actions itself.
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    for (const type of ['public', 'authenticated']) {
      const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } });
      for (const action of ['channel.find', 'channel.findOne', 'video.find', 'video.findOne']) {
        await permissions.create({ data: { action: `plugin::osteocom.${action}`, role: role.id } });
      }
    }
    buyer = await createEndUser(app);
    stranger = await createEndUser(app);
    const res = await app.http
      .post('/osteocom/authorizations')
      .set('Authorization', `Bearer ${admin}`)
      .send({ userId: buyer.user.documentId, email: 'buyer@example.com', name: 'Ann', surname: 'Buyer', products: [{ productId: owned.idChannel }] });
    expect(res.status).toBe(200);
    Object.assign(callers, {
      Public: undefined,
      Authenticated: buyer.jwt,
      'read-only token': await createApiToken(app, 'read-only'),
      'full-access token': await createApiToken(app, 'full-access'),
    });
  });

  afterAll(() => app.close());

  it('is served by the GraphQL plugin in this app', () => {
    expect(app.strapi.plugin('graphql')).toBeDefined();
  });

  describe.each(['Public', 'Authenticated', 'read-only token', 'full-access token'])('as %s', (who) => {
    it('introspection shows no private type or field, and no plugin mutation but the video token', async () => {
      const reply = await graphql(
        callers[who],
        '{ __schema { types { name fields { name } inputFields { name } } queryType { fields { name } } mutationType { fields { name } } } }'
      );
      expect(reply.status).toBe(200);
      const schema = reply.data!.__schema as {
        types: { name: string; fields: { name: string }[] | null; inputFields: { name: string }[] | null }[];
        queryType: { fields: { name: string }[] };
        mutationType: { fields: { name: string }[] };
      };
      const names = schema.types.map((type) => type.name);
      expect(names.filter((name) => PRIVATE_TYPE.test(name))).toEqual([]);
      for (const type of schema.types.filter((t) => /^Osteocom(Channel|Video)/.test(t.name))) {
        const fields = [...(type.fields ?? []), ...(type.inputFields ?? [])].map((field) => field.name);
        expect(fields).not.toContain('contentHash');
        expect(fields).not.toContain('channelKey');
      }
      const queries = schema.queryType.fields.map((field) => field.name).filter((name) => /osteocom/i.test(name));
      expect(queries.sort()).toEqual(['osteocomChannel', 'osteocomChannels', 'osteocomChannels_connection', 'osteocomMe', 'osteocomVideo', 'osteocomVideos', 'osteocomVideos_connection']);
      const mutations = schema.mutationType.fields.map((field) => field.name).filter((name) => /osteocom/i.test(name));
      expect(mutations).toEqual(['osteocomVideoToken']);
    });

    it('cannot query customers or entitlements, nor write an entitlement or a channel', async () => {
      for (const query of [
        '{ osteocomCustomers { userId email name surname } }',
        '{ osteocomEntitlements { status } }',
        '{ osteocomAuditEvents { action } }',
        'mutation { createOsteocomEntitlement(data: { status: active }) { documentId } }',
        'mutation { updateOsteocomChannel(documentId: "x", data: { title: "Hacked" }) { title } }',
        'mutation { deleteOsteocomChannel(documentId: "x") { documentId } }',
      ]) {
        const reply = await graphql(callers[who], query);
        expect(reply.status).toBe(400);
        expect(reply.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
    });

    it('reads channels and their videos, public fields only (granted like the REST catalog)', async () => {
      const reply = await graphql(callers[who], '{ osteocomChannels(sort: "idChannel") { idChannel title availability videos { videoId title } } }');
      expect(reply.errors).toBeUndefined();
      const channels = reply.data!.osteocomChannels as { idChannel: string; videos: { videoId: string }[] }[];
      expect(channels.map((c) => c.idChannel).sort()).toEqual(catalog.map((c) => c.idChannel).sort());
      const first = channels.find((c) => c.idChannel === owned.idChannel)!;
      expect(first.videos.map((v) => v.videoId).sort()).toEqual(owned.video.map((v) => v.videoId).sort());
    });
  });

  it('refuses the catalog to a role whose catalog permissions were taken away', async () => {
    const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } });
    const permissions = app.strapi.db.query('plugin::users-permissions.permission');
    const granted = await permissions.findOne({ where: { action: 'plugin::osteocom.channel.find', role: role.id } });
    await permissions.delete({ where: { id: granted.id } });
    try {
      const reply = await graphql(undefined, '{ osteocomChannels { idChannel } }');
      expect(reply.data?.osteocomChannels ?? null).toBeNull();
      expect(reply.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await permissions.create({ data: { action: 'plugin::osteocom.channel.find', role: role.id } });
    }
  });

  it('gives an entitled end user a video token that Osteocom (the sandbox) accepts', async () => {
    const videoId = owned.video[0].videoId;
    const reply = await graphql(buyer.jwt, VIDEO_TOKEN, { videoId });
    expect(reply.errors).toBeUndefined();
    const token = reply.data!.osteocomVideoToken as { videoId: string; token: string; expiresIn: number };
    expect(token).toMatchObject({ videoId, expiresIn: expect.any(Number) });
    expect(app.sandbox.verifyVideoToken(token.token)).toMatchObject({ userId: buyer.user.documentId, videoId });
  });

  it.each([
    ['a video of a channel not bought', 'stranger', { videoId: other.video[0].videoId }, 'NOT_ENTITLED'],
    ['a stranger naming the buyer', 'stranger', { videoId: owned.video[0].videoId, userId: 'BUYER' }, 'NOT_ENTITLED'],
    ['an unknown video', 'buyer', { videoId: 'no-such-video' }, 'VIDEO_NOT_FOUND'],
    ['a hostile videoId', 'buyer', { videoId: "x' OR 1=1 --" }, 'VALIDATION_ERROR'],
    ['a full-access token without userId', 'full-access token', { videoId: owned.video[0].videoId }, 'VALIDATION_ERROR'],
  ])('answers %s with the REST route code, without calling Osteocom', async (_, who, variables, code) => {
    const auth = who === 'buyer' ? buyer.jwt : who === 'stranger' ? stranger.jwt : callers[who];
    const resolved = { ...variables, ...('userId' in variables ? { userId: buyer.user.documentId } : {}) };
    const before = app.sandbox.count('videoAccess');
    const [reply, restReply] = [await graphql(auth, VIDEO_TOKEN, resolved), await rest(auth, resolved)];
    expect(reply.data?.osteocomVideoToken ?? null).toBeNull();
    expect(restReply.body.error.details.code).toBe(code);
    expect(errorCode(reply)).toBe(code);
    expect(app.sandbox.count('videoAccess')).toBe(before);
  });

  it('lets a trusted back end name the customer with a full-access API token, like REST', async () => {
    const reply = await graphql(callers['full-access token'], VIDEO_TOKEN, { videoId: owned.video[1].videoId, userId: buyer.user.documentId });
    expect(reply.errors).toBeUndefined();
    expect((reply.data!.osteocomVideoToken as { videoId: string }).videoId).toBe(owned.video[1].videoId);
  });

  it.each(['Public', 'read-only token'])('refuses the video token to %s (no video-token.create)', async (who) => {
    const reply = await graphql(callers[who], VIDEO_TOKEN, { videoId: owned.video[0].videoId });
    expect(reply.data?.osteocomVideoToken ?? null).toBeNull();
    expect(reply.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shares the per-user rate limit with the REST route', async () => {
    const limited = await createEndUser(app);
    const videoId = other.video[0].videoId;
    for (let call = 0; call < RATE_LIMIT / 2; call += 1) {
      expect((await rest(limited.jwt, { videoId })).body.error.details.code).toBe('NOT_ENTITLED');
      expect(errorCode(await graphql(limited.jwt, VIDEO_TOKEN, { videoId }))).toBe('NOT_ENTITLED');
    }
    const reply = await graphql(limited.jwt, VIDEO_TOKEN, { videoId });
    expect(errorCode(reply)).toBe('RATE_LIMITED');
    expect((await rest(limited.jwt, { videoId })).body.error.details.code).toBe('RATE_LIMITED');
  });

  it("osteocomMe gives the signed-in user's entitlements, and nothing of anyone else", async () => {
    const query = '{ osteocomMe { userId entitlements { channelId channelTitle status authorizedAt accessUntil } } }';
    const mine = await graphql(buyer.jwt, query);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.osteocomMe).toEqual({
      userId: buyer.user.documentId,
      entitlements: [{ channelId: owned.idChannel, channelTitle: owned.title, status: 'active', authorizedAt: expect.any(String), accessUntil: null }],
    });
    expect(JSON.stringify(mine)).not.toMatch(/buyer@example\.com|Ann/);
    expect((await graphql(stranger.jwt, query)).data!.osteocomMe).toEqual({ userId: stranger.user.documentId, entitlements: [] });
    expect((await graphql(undefined, query)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(errorCode(await graphql(callers['full-access token'], query))).toBe('FORBIDDEN');
  });
});
