/**
 * The OpenAPI 3.0 description of the plugin's content API (`/api/osteocom/...`): one source for
 * the package's `openapi.json` and for the override given to `@strapi/plugin-documentation`.
 * Request bodies are derived from the zod schemas the controllers parse with, and the error
 * codes from `errors.ts`, so the document cannot drift from what the routes accept.
 *
 * Paths are relative to the REST prefix (`/api`), as in the documentation plugin's own spec.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { authorizeBodySchema, revokeBodySchema } from '../schemas/access';
import { MAX_BULK_ROWS, bulkAuthorizeRequestSchema, bulkAuthorizeResultSchema, bulkRevokeRequestSchema, bulkRevokeResultSchema } from '../schemas/bulk';
import { channelParamsSchema, paginationSchema } from '../schemas/requests';
import { videoTokenBodySchema } from '../schemas/video-token';

type Json = Record<string, unknown>;

const TAG = 'Osteocom';

/**
 * `userId` forbids control characters with `\p{Cc}`, which needs the `u` flag: a JSON Schema
 * `pattern` is compiled without it, where it would reject ordinary letters. Described instead.
 */
const toSchema = (schema: z.ZodType): Json =>
  z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Json;
      if (typeof node.pattern === 'string' && node.pattern.includes('\\p{')) {
        delete node.pattern;
        node.description = 'Any printable text without control characters.';
      }
    },
  }) as Json;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** OpenAPI 3.0: `nullable` does not extend an `enum`, which must list null itself. */
const nullable = (schema: Json): Json => ({ ...schema, nullable: true, ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) });
const dateTime = { type: 'string', format: 'date-time' };
const integer = { type: 'integer' };
const string = { type: 'string' };

const envelope = (data: Json, meta: Json = { type: 'object', additionalProperties: false }) => ({
  type: 'object',
  required: ['data', 'meta'],
  properties: { data, meta },
});

const object = (properties: Record<string, Json>, optional: string[] = []): Json => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
});

const ERROR_CODE_NAMES = Object.keys(ERROR_CODES);

const schemas: Record<string, Json> = {
  OsteocomErrorCode: {
    type: 'string',
    enum: ERROR_CODE_NAMES,
    description: 'Stable error codes: switch on these, not on the message. See the README for when each occurs.',
  },
  OsteocomErrorResponse: {
    type: 'object',
    required: ['data', 'error'],
    description: 'Every error the plugin raises: Strapi\'s error shape with a stable `details.code`.',
    properties: {
      data: { type: 'object', nullable: true, enum: [null], description: 'Always null.' },
      error: object({
        status: integer,
        name: { ...string, example: 'ForbiddenError' },
        message: { ...string, description: 'For people; never contains secrets.' },
        details: {
          type: 'object',
          required: ['code'],
          additionalProperties: true,
          properties: {
            code: ref('OsteocomErrorCode'),
            errors: {
              type: 'array',
              description: 'With `VALIDATION_ERROR`: the fields at fault.',
              items: object({ path: { type: 'array', items: string }, message: string }),
            },
            unknown: { type: 'array', items: string, description: 'With `UNKNOWN_CHANNEL`: the products that are not available channels.' },
          },
        },
      }),
    },
  },
  StrapiErrorResponse: {
    type: 'object',
    required: ['data', 'error'],
    description: 'An error from Strapi itself (missing or invalid credentials, a role without the permission): no `details.code`.',
    properties: {
      data: { type: 'object', nullable: true, enum: [null] },
      error: object({ status: integer, name: string, message: string, details: { type: 'object', additionalProperties: true } }, ['details']),
    },
  },
  OsteocomPagination: object({ page: integer, pageSize: integer, total: integer, pageCount: integer }),
  OsteocomChannelAuthor: object({ name: string, image: nullable(string) }, ['image']),
  OsteocomVideo: object({
    videoId: string,
    title: string,
    duration: nullable({ ...integer, description: 'Seconds.' }),
    videoQuality: nullable(string),
    position: nullable({ ...integer, description: 'Order within the channel, from 0.' }),
  }),
  OsteocomChannel: object({
    idChannel: string,
    title: string,
    subtitle: nullable(string),
    htmlDescription: nullable(string),
    price: nullable(integer),
    cover: nullable(string),
    background: nullable(string),
    trailer: nullable(string),
    authors: nullable({ type: 'array', items: ref('OsteocomChannelAuthor') }),
    videos: { type: 'array', items: ref('OsteocomVideo') },
  }),
  OsteocomChannelListResponse: envelope({ type: 'array', items: ref('OsteocomChannel') }, object({ pagination: ref('OsteocomPagination') })),
  OsteocomChannelResponse: envelope(ref('OsteocomChannel')),
  OsteocomVideoTokenRequest: toSchema(videoTokenBodySchema),
  OsteocomVideoToken: object(
    {
      videoId: string,
      token: { ...string, description: 'The short-lived player token; never store it.' },
      expiresIn: { ...integer, description: 'Seconds left until `expiresAt`.' },
      expiresAt: dateTime,
      playerUrl: { ...string, description: 'Present when a player URL template is configured.' },
    },
    ['playerUrl']
  ),
  OsteocomVideoTokenResponse: envelope(ref('OsteocomVideoToken')),
  OsteocomEntitlementStatus: { type: 'string', enum: ['pending', 'active', 'revoked', 'failed'] },
  OsteocomMyEntitlement: object({
    channelId: string,
    channelTitle: nullable(string),
    status: ref('OsteocomEntitlementStatus'),
    authorizedAt: nullable(dateTime),
    revokedAt: nullable({ ...dateTime, description: "Osteocom's cancellation date once revoked." }),
    accessUntil: nullable({ ...dateTime, description: 'When a time-limited access ends (null: for good).' }),
  }),
  OsteocomMeResponse: envelope(object({ userId: string, entitlements: { type: 'array', items: ref('OsteocomMyEntitlement') } })),
  OsteocomEntitlement: object({
    channelKey: string,
    status: ref('OsteocomEntitlementStatus'),
    price: nullable(integer),
    authorizedAt: nullable(dateTime),
    revokedAt: nullable(dateTime),
    accessUntil: nullable({ ...dateTime, description: 'When a time-limited access ends (null: for good).' }),
    pendingOperation: nullable({ type: 'string', enum: ['authorize', 'revoke'], description: 'What the outbox still has to confirm with Osteocom.' }),
    lastError: nullable({ type: 'string', description: "Why the last call did not confirm it, as Osteocom said it." }),
    lastErrorCode: nullable({ type: 'string', description: 'The code of that error, e.g. `UPSTREAM_REJECTED` or `UPSTREAM_UNAVAILABLE`.' }),
    needsReconciliation: { type: 'boolean', description: 'Osteocom may hold another state than this row: an editor should check and re-send.' },
    attempts: nullable(integer),
    nextAttemptAt: nullable(dateTime),
    updatedAt: dateTime,
  }),
  OsteocomAuthorizationRequest: toSchema(authorizeBodySchema),
  OsteocomAuthorizationResponse: envelope(
    object({ state: { type: 'string', enum: ['active', 'pending', 'partial'] }, userId: string, entitlements: { type: 'array', items: ref('OsteocomEntitlement') } })
  ),
  OsteocomRevocationRequest: toSchema(revokeBodySchema),
  OsteocomRevocationResponse: envelope(
    object({ state: { type: 'string', enum: ['revoked', 'pending'] }, userId: string, entitlements: { type: 'array', items: ref('OsteocomEntitlement') } })
  ),
  OsteocomBulkAuthorizationRequest: toSchema(bulkAuthorizeRequestSchema),
  OsteocomBulkAuthorizationResponse: envelope(object({ results: { type: 'array', items: toSchema(bulkAuthorizeResultSchema) } })),
  OsteocomBulkRevocationRequest: toSchema(bulkRevokeRequestSchema),
  OsteocomBulkRevocationResponse: envelope(object({ results: { type: 'array', items: toSchema(bulkRevokeResultSchema) } })),
};

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

const pluginError = (description: string, codes: string[], headers?: Json) => ({
  description: `${description} (\`details.code\`: ${codes.map((code) => `\`${code}\``).join(', ')})`,
  ...(headers ? { headers } : {}),
  content: json(ref('OsteocomErrorResponse')),
});

const responses = {
  badRequest: pluginError('The request is not valid', ['VALIDATION_ERROR']),
  unauthorized: {
    description: 'The bearer token is missing, invalid or expired.',
    content: json(ref('StrapiErrorResponse')),
  },
  forbidden: (orElse?: string) => ({
    description: `The role or API token lacks this action (no \`details.code\`)${orElse ? `, or ${orElse}` : ''}.`,
    content: json({ anyOf: [ref('OsteocomErrorResponse'), ref('StrapiErrorResponse')] }),
  }),
  upstream: pluginError('Osteocom refused the call or answered unexpectedly', ['UPSTREAM_UNAUTHORIZED', 'UPSTREAM_REJECTED', 'UPSTREAM_INVALID_RESPONSE']),
};

const paginationParameters = Object.entries((toSchema(paginationSchema).properties ?? {}) as Record<string, Json>).map(([name, schema]) => ({
  name,
  in: 'query',
  required: false,
  schema,
}));

const idChannelParameter = {
  name: 'idChannel',
  in: 'path',
  required: true,
  description: "The channel's Osteocom id.",
  schema: (toSchema(channelParamsSchema).properties as Record<string, Json>).idChannel,
};

const endUserOrToken = [{ usersPermissionsJwt: [] }, { apiToken: [] }];

const paths = {
  '/osteocom/channels': {
    get: {
      tags: [TAG],
      operationId: 'osteocomCatalogFind',
      summary: 'List the available channels with their videos',
      description:
        'Action `plugin::osteocom.catalog.find`, granted to the Public and Authenticated roles on first start. Public fields only; removed channels and videos are left out.',
      security: [{}, ...endUserOrToken],
      parameters: paginationParameters,
      responses: {
        200: { description: 'A page of channels.', content: json(ref('OsteocomChannelListResponse')) },
        400: responses.badRequest,
        401: responses.unauthorized,
        403: responses.forbidden(),
      },
    },
  },
  '/osteocom/channels/{idChannel}': {
    get: {
      tags: [TAG],
      operationId: 'osteocomCatalogFindOne',
      summary: 'One available channel with its videos',
      description: 'Action `plugin::osteocom.catalog.findOne`, granted to the Public and Authenticated roles on first start.',
      security: [{}, ...endUserOrToken],
      parameters: [idChannelParameter],
      responses: {
        200: { description: 'The channel.', content: json(ref('OsteocomChannelResponse')) },
        400: responses.badRequest,
        401: responses.unauthorized,
        403: responses.forbidden(),
        404: {
          ...pluginError('No available channel with this id', ['CHANNEL_NOT_FOUND']),
          content: json(ref('OsteocomErrorResponse'), errorExample(404, 'NotFoundError', 'CHANNEL_NOT_FOUND', 'No available channel "abc".')),
        },
      },
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
      responses: {
        200: { description: 'The token.', headers: noStore, content: json(ref('OsteocomVideoTokenResponse')) },
        400: pluginError('The body is not valid, or `userId` is missing with an API token', ['VALIDATION_ERROR']),
        401: responses.unauthorized,
        403: {
          ...responses.forbidden('`NOT_ENTITLED` (no active entitlement to the channel), `ACCESS_EXPIRED` (a time-limited access has ended), or `FORBIDDEN` (the account has no customer id)'),
          content: json(
            { anyOf: [ref('OsteocomErrorResponse'), ref('StrapiErrorResponse')] },
            errorExample(403, 'ForbiddenError', 'NOT_ENTITLED', 'This account has no access to the channel of this video.')
          ),
        },
        404: pluginError('No available video with this id', ['VIDEO_NOT_FOUND']),
        409: pluginError('The purchase is still being activated', ['ACCESS_PENDING'], retryAfter),
        429: pluginError('Too many requests from this user or API token', ['RATE_LIMITED'], retryAfter),
        500: pluginError('The stored access key is not in the expected encrypted format', ['ENCRYPTION_ERROR']),
        502: responses.upstream,
        503: pluginError(
          'Osteocom cannot be reached, or the plugin has no credentials, or the customer\'s stored access key cannot be decrypted: its key (`details.keyId`) is no longer configured, or is not the key it was encrypted with',
          ['UPSTREAM_UNAVAILABLE', 'NOT_CONFIGURED', 'ENCRYPTION_KEY_MISSING', 'DECRYPTION_FAILED'],
          retryAfter
        ),
      },
    },
  },
  '/osteocom/me': {
    get: {
      tags: [TAG],
      operationId: 'osteocomMeGet',
      summary: "The signed-in end user's customer id and entitlements",
      description: 'Action `plugin::osteocom.me.get`, granted to the Authenticated role on first start. For end users only.',
      security: [{ usersPermissionsJwt: [] }],
      responses: {
        200: { description: 'The customer id and entitlements.', headers: noStore, content: json(ref('OsteocomMeResponse')) },
        401: responses.unauthorized,
        403: responses.forbidden('`FORBIDDEN` (not an end user, or no customer id)'),
      },
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
      responses: {
        200: {
          description: 'Osteocom confirmed: `state: "active"`; or it refused some products and took the others: `state: "partial"`, each entitlement saying how it ended.',
          content: json(ref('OsteocomAuthorizationResponse')),
        },
        202: { description: 'Recorded; the outbox will confirm it with Osteocom: `state: "pending"`.', content: json(ref('OsteocomAuthorizationResponse')) },
        400: pluginError('The request is not valid', ['VALIDATION_ERROR', 'EMAIL_REQUIRED', 'INVALID_EMAIL', 'UNKNOWN_CHANNEL']),
        401: responses.unauthorized,
        403: responses.forbidden(),
        502: pluginError("Osteocom refused the authorization for good, for a reason other than the email; the message quotes it, `details.upstreamStatus` and `details.upstreamMessage` hold Osteocom's status and message", ['UPSTREAM_REJECTED']),
      },
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
      responses: {
        200: { description: 'Osteocom confirmed: `state: "revoked"`.', content: json(ref('OsteocomRevocationResponse')) },
        202: { description: 'Revoked locally; the outbox will confirm it with Osteocom: `state: "pending"`.', content: json(ref('OsteocomRevocationResponse')) },
        400: responses.badRequest,
        401: responses.unauthorized,
        403: responses.forbidden(),
        404: pluginError('The customer has no access to this channel', ['ENTITLEMENT_NOT_FOUND']),
        502: pluginError('Osteocom refused the revocation for good', ['UPSTREAM_REJECTED']),
      },
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
        '`active`, `pending` (the outbox will confirm it) or `refused` with the code a single authorization would get. Repeating the same rows is safe.',
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
      responses: {
        200: { description: 'One result per row, in the order of `rows`.', content: json(ref('OsteocomBulkAuthorizationResponse')) },
        400: pluginError('The request as a whole is not valid (no `rows` list, or more rows than allowed)', ['VALIDATION_ERROR', 'TOO_MANY_ROWS']),
        401: responses.unauthorized,
        403: responses.forbidden(),
      },
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
      responses: {
        200: { description: 'One result per row, in the order of `rows`.', content: json(ref('OsteocomBulkRevocationResponse')) },
        400: pluginError('The request as a whole is not valid (no `rows` list, or more rows than allowed)', ['VALIDATION_ERROR', 'TOO_MANY_ROWS']),
        401: responses.unauthorized,
        403: responses.forbidden(),
      },
    },
  },
};

const tags = [{ name: TAG, description: 'Osteocom channels, video tokens and customer access (strapi-plugin-osteocom).' }];

/** What the plugin adds to `@strapi/plugin-documentation`'s generated spec (no `info`: it applies to every version). */
export const documentationOverride = () => ({
  tags,
  paths,
  components: { schemas, securitySchemes },
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
