/**
 * The OpenAPI 3.0 description of the plugin's content API (`/api/osteocom/...`): one source for
 * the package's `openapi.json` and for the override given to `@strapi/plugin-documentation`.
 * Every schema — requests, replies, error codes — is generated from the routes' contracts in
 * shared/contracts (`z.toJSONSchema`); this file adds only what is for readers: summaries,
 * descriptions, security, examples.
 *
 * Paths are relative to the REST prefix (`/api`), as in the documentation plugin's own spec.
 */
import { z } from 'zod';
import { authorize, authorizeBodySchema, pause, resume, revoke, revokeBodySchema } from '../../../shared/contracts/access';
import { MAX_BULK_ROWS, bulkAuthorize, bulkRevoke } from '../../../shared/contracts/bulk';
import { channelAuthorSchema, channelSchema, findChannel, findChannels, videoSchema } from '../../../shared/contracts/catalog';
import {
  channelEntrySchema,
  findChannelEntries,
  findChannelEntry,
  findVideoEntries,
  findVideoEntry,
  videoEntrySchema,
} from '../../../shared/contracts/catalog-entries';
import { paginationSchema, type RouteContract } from '../../../shared/contracts/common';
import { entitlementSchema, entitlementStatusSchema, myEntitlementSchema } from '../../../shared/contracts/entitlements';
import { errorCodeSchema, errorReplySchema, strapiErrorReplySchema } from '../../../shared/contracts/errors';
import { getMe } from '../../../shared/contracts/me';
import { createVideoToken, videoTokenBodySchema, videoTokenSchema } from '../../../shared/contracts/video-token';

type Json = Record<string, unknown>;

const TAG = 'Osteocom';

/** The schemas listed under `components.schemas`, by name; the others are inlined where used. */
const COMPONENTS: [string, z.ZodType][] = [
  ['OsteocomErrorCode', errorCodeSchema],
  ['OsteocomErrorResponse', errorReplySchema],
  ['StrapiErrorResponse', strapiErrorReplySchema],
  ['OsteocomPagination', paginationSchema],
  ['OsteocomChannelAuthor', channelAuthorSchema],
  ['OsteocomVideo', videoSchema],
  ['OsteocomChannel', channelSchema],
  ['OsteocomChannelListResponse', findChannels.reply],
  ['OsteocomChannelResponse', findChannel.reply],
  ['OsteocomVideoEntry', videoEntrySchema],
  ['OsteocomChannelEntry', channelEntrySchema],
  ['OsteocomChannelEntryListResponse', findChannelEntries.reply],
  ['OsteocomChannelEntryResponse', findChannelEntry.reply],
  ['OsteocomVideoEntryListResponse', findVideoEntries.reply],
  ['OsteocomVideoEntryResponse', findVideoEntry.reply],
  ['OsteocomVideoTokenRequest', videoTokenBodySchema],
  ['OsteocomVideoToken', videoTokenSchema],
  ['OsteocomVideoTokenResponse', createVideoToken.reply],
  ['OsteocomEntitlementStatus', entitlementStatusSchema],
  ['OsteocomMyEntitlement', myEntitlementSchema],
  ['OsteocomMeResponse', getMe.reply],
  ['OsteocomEntitlement', entitlementSchema],
  ['OsteocomAuthorizationRequest', authorizeBodySchema],
  ['OsteocomAuthorizationResponse', authorize.reply],
  ['OsteocomRevocationRequest', revokeBodySchema],
  ['OsteocomRevocationResponse', revoke.reply],
  ['OsteocomPauseResponse', pause.reply],
  ['OsteocomResumeResponse', resume.reply],
  ['OsteocomBulkAuthorizationRequest', bulkAuthorize.body],
  ['OsteocomBulkAuthorizationResponse', bulkAuthorize.reply],
  ['OsteocomBulkRevocationRequest', bulkRevoke.body],
  ['OsteocomBulkRevocationResponse', bulkRevoke.reply],
];

const SAFE_INTEGER_BOUNDS = [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];

/**
 * What a JSON Schema reader needs and zod's output adds beyond it: no date-time regex beside `format`, no safe-integer bounds on every integer. `userId` forbids
 * control characters with `\p{Cc}`, which needs the `u` flag: a JSON Schema `pattern` is
 * compiled without it, where it would reject ordinary letters. Described instead.
 */
const tidy = ({ jsonSchema }: { jsonSchema: Json }) => {
  if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
  if (SAFE_INTEGER_BOUNDS.includes(jsonSchema.minimum as number)) delete jsonSchema.minimum;
  if (SAFE_INTEGER_BOUNDS.includes(jsonSchema.maximum as number)) delete jsonSchema.maximum;
  // OpenAPI 3.0: `nullable` does not extend an `enum`, which must list null itself.
  if (jsonSchema.nullable && Array.isArray(jsonSchema.enum) && !jsonSchema.enum.includes(null)) jsonSchema.enum = [...jsonSchema.enum, null];
  // `null` only (an error reply's `data`): zod names no type for it, OpenAPI 3.0 needs one.
  if (Array.isArray(jsonSchema.enum) && jsonSchema.enum.length === 1 && jsonSchema.enum[0] === null) jsonSchema.type = 'object';
  if (typeof jsonSchema.pattern === 'string' && jsonSchema.pattern.includes('\\p{')) {
    delete jsonSchema.pattern;
    jsonSchema.description = 'Any printable text without control characters.';
  }
};

/** Requests as callers send them (`io: 'input'`: defaults optional, transforms not applied); replies have neither. */
const toSchema = (schema: z.ZodType): Json => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', override: tidy }) as Json;

const componentSchemas = (): Record<string, Json> => {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of COMPONENTS) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    override: tidy,
  }) as { schemas: Record<string, Json> };
  // The registry names each component with an `$id` too; OpenAPI components are named by their key.
  return Object.fromEntries(Object.entries(schemas).map(([id, { $id: _id, ...schema }]) => [id, schema]));
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const integer = { type: 'integer' };

const securitySchemes = {
  usersPermissionsJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An end user signed in with Users & Permissions (`/api/auth/local`): `Authorization: Bearer <jwt>`.',
  },
  apiToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'A Strapi API token (Settings → API Tokens), for trusted back ends: `Authorization: Bearer <token>`.',
  },
};

const json = (schema: Json, example?: unknown) => ({ 'application/json': { schema, ...(example === undefined ? {} : { example }) } });

const errorExample = (status: number, name: string, code: string, message: string) => ({
  data: null,
  error: { status, name, message, details: { code } },
});

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before asking again.', schema: integer } };
const noStore = { 'Cache-Control': { description: 'Always `no-store`.', schema: { type: 'string', enum: ['no-store'] } } };

/** Strapi's own refusals reach callers completed with a code (middlewares/error-codes.ts), or as Strapi sent them. */
const anyError = { anyOf: [ref('OsteocomErrorResponse'), ref('StrapiErrorResponse')] };
const STRAPI_FORBIDDEN = 'The role or API token lacks this action (no `details.code`)';
const UPSTREAM = 'Osteocom refused the call or answered unexpectedly';

/** How each error status of a route is explained to readers: the codes come from its contract. */
interface ErrorDoc {
  description: string;
  headers?: Json;
  example?: unknown;
}

/**
 * A route's replies: its success replies, 401 and 403 from Strapi (which a role or token may
 * cause on every route), and each error status its contract lists, with the codes it lists.
 */
const replies = <C extends RouteContract>(contract: C, success: Record<number, Json>, errors: { [Status in keyof C['errors']]: ErrorDoc }) => {
  const result: Record<string, Json> = {
    ...success,
    401: { description: 'The bearer token is missing, invalid or expired.', content: json(ref('StrapiErrorResponse')) },
    403: { description: `${STRAPI_FORBIDDEN}.`, content: json(anyError) },
  };
  for (const [status, codes] of Object.entries(contract.errors)) {
    const doc = (errors as Record<string, ErrorDoc>)[status]!;
    const forbidden = status === '403';
    result[status] = {
      description: `${forbidden ? `${STRAPI_FORBIDDEN}, or ${doc.description}` : doc.description} (\`details.code\`: ${codes!.map((code) => `\`${code}\``).join(', ')})`,
      ...(doc.headers ? { headers: doc.headers } : {}),
      content: json(forbidden ? anyError : ref('OsteocomErrorResponse'), doc.example),
    };
  }
  return result;
};

const badRequest = { description: 'The request is not valid' };
const bulkBadRequest = { description: 'The request as a whole is not valid (no `rows` list, or more rows than allowed); a bad row is refused in its result instead' };

const parameters = (schema: z.ZodType, where: 'query' | 'path') =>
  Object.entries((toSchema(schema).properties ?? {}) as Record<string, Json>).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path',
    ...(description ? { description } : {}),
    schema: property,
  }));

const endUserOrToken = [{ usersPermissionsJwt: [] }, { apiToken: [] }];

const boundsViolation = { description: 'The query crosses more than one relation, or its page size is a list or an object' };

/** Strapi's core find/findOne of a mirrored type (routes/catalog-entries.ts). */
const entryRoutes = (type: 'channel' | 'video', list: typeof findChannelEntries | typeof findVideoEntries, one: typeof findChannelEntry | typeof findVideoEntry) => {
  const Name = type === 'channel' ? 'Channel' : 'Video';
  const visible = type === 'channel' ? 'Available channels an editor left listed' : 'Available videos';
  const grant = (action: string) => `Strapi's core action \`plugin::osteocom.${type}.${action}\`, granted to no role by default (a site that populates ${type}s from its own types grants it). ${visible} only.`;
  return {
    [`/osteocom/entries/${type}s`]: {
      get: {
        tags: [TAG],
        operationId: `osteocom${Name}EntriesFind`,
        summary: `List ${type}s as Strapi entries (filters, sort, populate)`,
        description: grant('find'),
        security: endUserOrToken,
        parameters: parameters(list.query, 'query'),
        responses: replies(list, { 200: { description: `A page of ${type}s.`, content: json(ref(`Osteocom${Name}EntryListResponse`)) } }, { 400: boundsViolation }),
      },
    },
    [`/osteocom/entries/${type}s/{id}`]: {
      get: {
        tags: [TAG],
        operationId: `osteocom${Name}EntriesFindOne`,
        summary: `One ${type} as a Strapi entry, by documentId`,
        description: grant('findOne'),
        security: endUserOrToken,
        parameters: parameters(one.params, 'path'),
        responses: replies(
          one,
          { 200: { description: `The ${type}.`, content: json(ref(`Osteocom${Name}EntryResponse`)) } },
          { 400: boundsViolation, 404: { description: `No visible ${type} with this documentId` } }
        ),
      },
    },
  };
};

const paths = {
  ...entryRoutes('channel', findChannelEntries, findChannelEntry),
  ...entryRoutes('video', findVideoEntries, findVideoEntry),
  '/osteocom/channels': {
    get: {
      tags: [TAG],
      operationId: 'osteocomCatalogFind',
      summary: 'List the available channels with their videos',
      description:
        'Action `plugin::osteocom.catalog.find`, granted to the Public and Authenticated roles on first start. Public fields only; removed channels and videos, and channels an editor unlisted, are left out. Featured channels first, then by the editors\' position, then by title.',
      security: [{}, ...endUserOrToken],
      parameters: parameters(findChannels.query, 'query'),
      responses: replies(findChannels, { 200: { description: 'A page of channels.', content: json(ref('OsteocomChannelListResponse')) } }, { 400: badRequest }),
    },
  },
  '/osteocom/channels/{idChannelOrSlug}': {
    get: {
      tags: [TAG],
      operationId: 'osteocomCatalogFindOne',
      summary: 'One available channel with its videos, by Osteocom id or slug',
      description: 'Action `plugin::osteocom.catalog.findOne`, granted to the Public and Authenticated roles on first start. A removed or unlisted channel is not found.',
      security: [{}, ...endUserOrToken],
      parameters: parameters(findChannel.params, 'path'),
      responses: replies(
        findChannel,
        { 200: { description: 'The channel.', content: json(ref('OsteocomChannelResponse')) } },
        {
          400: badRequest,
          404: { description: 'No listed, available channel with this id or slug', example: errorExample(404, 'NotFoundError', 'CHANNEL_NOT_FOUND', 'No available channel "abc".') },
        }
      ),
    },
  },
  '/osteocom/video-token': {
    post: {
      tags: [TAG],
      operationId: 'osteocomVideoTokenCreate',
      summary: 'A short-lived player token for a video',
      description:
        'Action `plugin::osteocom.video-token.create`, granted to the Authenticated role on first start. The customer is the signed-in end user (never taken from the body); ' +
        'it must hold an active entitlement to the video\'s channel. A trusted back end calling with an API token names the customer with `userId`. ' +
        'Tokens are cached per customer and video until shortly before they expire, and calls are rate-limited per end user or API token.',
      security: endUserOrToken,
      requestBody: { required: true, content: json(ref('OsteocomVideoTokenRequest'), { videoId: 'd1be9a0cd1f7e5f0bb81d40d' }) },
      responses: replies(
        createVideoToken,
        { 200: { description: 'The token.', headers: noStore, content: json(ref('OsteocomVideoTokenResponse')) } },
        {
          400: { description: 'The body is not valid, or `userId` is missing with an API token' },
          403: {
            description: 'the customer has no active entitlement to the channel, its time-limited access has ended, or the account has no customer id',
            example: errorExample(403, 'ForbiddenError', 'NOT_ENTITLED', 'This account has no access to the channel of this video.'),
          },
          404: { description: 'No available video with this id' },
          409: { description: 'The purchase is still being activated', headers: retryAfter },
          429: { description: 'Too many requests from this user or API token', headers: retryAfter },
          500: { description: 'The stored access key is not in the expected encrypted format' },
          502: { description: UPSTREAM },
          503: {
            description:
              "Osteocom cannot be reached, or the plugin has no credentials, or the customer's stored access key cannot be decrypted: its key is no longer configured, or is not the key it was encrypted with (the server log names the key id)",
            headers: retryAfter,
          },
        }
      ),
    },
  },
  '/osteocom/me': {
    get: {
      tags: [TAG],
      operationId: 'osteocomMeGet',
      summary: "The signed-in end user's customer id and entitlements",
      description: 'Action `plugin::osteocom.me.get`, granted to the Authenticated role on first start. For end users only.',
      security: [{ usersPermissionsJwt: [] }],
      responses: replies(
        getMe,
        { 200: { description: 'The customer id and entitlements.', headers: noStore, content: json(ref('OsteocomMeResponse')) } },
        { 403: { description: 'the caller is not an end user, or has no customer id' } }
      ),
    },
  },
  '/osteocom/authorizations': {
    post: {
      tags: [TAG],
      operationId: 'osteocomAccessAuthorize',
      summary: 'Authorize a customer for channels (after a purchase)',
      description:
        'Action `plugin::osteocom.access.authorize`, granted to no role: give it to an API token of the shop back end. The purchase is recorded before Osteocom is called; ' +
        'if Osteocom cannot be reached the reply is 202 and the outbox retries. Repeating a call is safe.',
      security: [{ apiToken: [] }],
      requestBody: {
        required: true,
        content: json(ref('OsteocomAuthorizationRequest'), { userId: 'iaszxyned87t8w010ihr8r5z', email: 'ann@example.com', products: [{ productId: 'f476a87d1a47fae1ac71d06e' }] }),
      },
      responses: replies(
        authorize,
        {
          200: {
            description: 'Osteocom confirmed: `state: "active"`; or it refused some products and took the others: `state: "partial"`, each entitlement saying how it ended; a refund sent meanwhile overtook the purchase: `state: "revoked"` (or `"partial"` when it overtook some products).',
            content: json(ref('OsteocomAuthorizationResponse')),
          },
          202: { description: 'Recorded; the outbox will confirm it with Osteocom: `state: "pending"`.', content: json(ref('OsteocomAuthorizationResponse')) },
        },
        {
          400: badRequest,
          502: {
            description:
              "Osteocom refused the authorization for good, for a reason other than the email; the message quotes it, `details.upstreamStatus` and `details.upstreamMessage` hold Osteocom's status and message",
          },
        }
      ),
    },
  },
  '/osteocom/revocations': {
    post: {
      tags: [TAG],
      operationId: 'osteocomAccessRevoke',
      summary: "Revoke a customer's access to a channel (refund, chargeback)",
      description:
        'Action `plugin::osteocom.access.revoke`, granted to no role: give it to an API token of the shop back end. Access ends locally at once; ' +
        'the reply is 202 while the outbox still has to confirm it with Osteocom.',
      security: [{ apiToken: [] }],
      requestBody: { required: true, content: json(ref('OsteocomRevocationRequest'), { userId: 'iaszxyned87t8w010ihr8r5z', channelId: 'f476a87d1a47fae1ac71d06e' }) },
      responses: replies(
        revoke,
        {
          200: { description: 'Osteocom confirmed: `state: "revoked"`.', content: json(ref('OsteocomRevocationResponse')) },
          202: { description: 'Revoked locally; the outbox will confirm it with Osteocom: `state: "pending"`.', content: json(ref('OsteocomRevocationResponse')) },
        },
        {
          400: badRequest,
          404: { description: 'The customer has no access to this channel' },
          502: { description: 'Osteocom refused the revocation for good' },
        }
      ),
    },
  },
  '/osteocom/pauses': {
    post: {
      tags: [TAG],
      operationId: 'osteocomAccessPause',
      summary: "Pause a customer's access to a channel (a subscription suspended at the shop)",
      description:
        'Action `plugin::osteocom.access.pause`, granted to no role: give it to an API token of the shop back end. Access ends locally at once (the video-token route answers 403 `ACCESS_PAUSED`) ' +
        'and Osteocom is told to revoke it; the price, purchase date and end are kept for the resume. Pausing a paused access changes nothing (200 `paused`).',
      security: [{ apiToken: [] }],
      requestBody: { required: true, content: json(ref('OsteocomRevocationRequest'), { userId: 'iaszxyned87t8w010ihr8r5z', channelId: 'f476a87d1a47fae1ac71d06e' }) },
      responses: replies(
        pause,
        {
          200: { description: 'Osteocom confirmed the revocation: `state: "paused"`.', content: json(ref('OsteocomPauseResponse')) },
          202: { description: 'Paused locally; the outbox will confirm it with Osteocom: `state: "pending"`.', content: json(ref('OsteocomPauseResponse')) },
        },
        {
          400: badRequest,
          409: { description: '`ACCESS_NOT_ACTIVE`: the access is not running (pending, scheduled, expired, revoked, failed, or there is none); `details.status` says which' },
          502: { description: 'Osteocom refused the revocation for good (the access stays paused here and is flagged for reconciliation)' },
        }
      ),
    },
  },
  '/osteocom/resumptions': {
    post: {
      tags: [TAG],
      operationId: 'osteocomAccessResume',
      summary: "Resume a paused access (the subscription goes on)",
      description:
        'Action `plugin::osteocom.access.resume`, granted to no role: give it to an API token of the shop back end. Authorized again with the stored price; a time-limited access ends later ' +
        'by the time it spent paused. A running access changes nothing (200 `active`).',
      security: [{ apiToken: [] }],
      requestBody: { required: true, content: json(ref('OsteocomRevocationRequest'), { userId: 'iaszxyned87t8w010ihr8r5z', channelId: 'f476a87d1a47fae1ac71d06e' }) },
      responses: replies(
        resume,
        {
          200: { description: 'Osteocom confirmed: `state: "active"`.', content: json(ref('OsteocomResumeResponse')) },
          202: { description: 'Recorded; the outbox will confirm it with Osteocom: `state: "pending"`.', content: json(ref('OsteocomResumeResponse')) },
        },
        {
          400: badRequest,
          409: { description: '`ACCESS_NOT_PAUSED`: the access is neither paused nor running (revoked, failed, scheduled, or there is none); `details.status` says which' },
          502: { description: 'Osteocom refused the authorization for good' },
        }
      ),
    },
  },
  '/osteocom/authorizations/bulk': {
    post: {
      tags: [TAG],
      operationId: 'osteocomAccessBulkAuthorize',
      summary: 'Authorize many customers at once (one product per row)',
      description:
        `Action \`plugin::osteocom.access.bulkAuthorize\`, granted to no role: give it to an API token of the shop back end. Up to ${MAX_BULK_ROWS} rows, each checked as a single ` +
        'authorization would be and refused alone (never all or nothing); the rows of one customer go to Osteocom in one call. One result per row, in order: ' +
        '`active`, `pending` (the outbox will confirm it), `refused` with the code a single authorization would get, or `revoked` (a refund sent meanwhile overtook it). Repeating the same rows is safe.',
      security: [{ apiToken: [] }],
      requestBody: {
        required: true,
        content: json(ref('OsteocomBulkAuthorizationRequest'), {
          rows: [
            { userId: 'iaszxyned87t8w010ihr8r5z', email: 'ann@example.com', productId: 'f476a87d1a47fae1ac71d06e' },
            { userId: 'iaszxyned87t8w010ihr8r5z', productId: '66d579675f2f15e4d3000000', accessUntil: '2027-12-31T23:59:59Z' },
          ],
        }),
      },
      responses: replies(
        bulkAuthorize,
        { 200: { description: 'One result per row, in the order of `rows`.', content: json(ref('OsteocomBulkAuthorizationResponse')) } },
        { 400: bulkBadRequest }
      ),
    },
  },
  '/osteocom/revocations/bulk': {
    post: {
      tags: [TAG],
      operationId: 'osteocomAccessBulkRevoke',
      summary: "Revoke many customers' access at once",
      description:
        `Action \`plugin::osteocom.access.bulkRevoke\`, granted to no role: give it to an API token of the shop back end. Up to ${MAX_BULK_ROWS} rows, each refused alone when a ` +
        'single revocation would be; a repeated row is sent once. One result per row, in order: `revoked`, `pending` (revoked locally, the outbox will confirm it) or `refused` with its code.',
      security: [{ apiToken: [] }],
      requestBody: { required: true, content: json(ref('OsteocomBulkRevocationRequest'), { rows: [{ userId: 'iaszxyned87t8w010ihr8r5z', channelId: 'f476a87d1a47fae1ac71d06e' }] }) },
      responses: replies(
        bulkRevoke,
        { 200: { description: 'One result per row, in the order of `rows`.', content: json(ref('OsteocomBulkRevocationResponse')) } },
        { 400: bulkBadRequest }
      ),
    },
  },
};

const tags = [{ name: TAG, description: 'Osteocom channels, video tokens and customer access (strapi-plugin-osteocom).' }];

/** What the plugin adds to `@strapi/plugin-documentation`'s generated spec (no `info`: it applies to every version). */
export const documentationOverride = () => ({
  tags,
  paths,
  components: { schemas: componentSchemas(), securitySchemes },
});

/** The standalone OpenAPI 3.0 document (the package's `openapi.json`). */
export const openApiDocument = ({ version }: { version: string }) => ({
  openapi: '3.0.3',
  info: {
    title: 'strapi-plugin-osteocom content API',
    version,
    description:
      'The content-API routes of the Osteocom plugin for Strapi 5, under the REST prefix (`/api` by default). ' +
      'Replies use Strapi\'s `{ data, meta }` shape; errors use `{ data: null, error: { status, name, message, details: { code } } }`. ' +
      'Which roles and API tokens may call each action is decided in Users & Permissions and API Tokens.',
    license: { name: 'MIT' },
  },
  servers: [{ url: 'http://localhost:1337/api', description: 'A local Strapi app' }],
  ...documentationOverride(),
});
