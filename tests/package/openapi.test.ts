import fs from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Core } from '@strapi/strapi';
import type { OpenAPIV3 } from 'openapi-types';
import { registerDocumentation } from '../../server/src/documentation';
import { documentationOverride } from '../../server/src/documentation/openapi';
import { ERROR_CODES } from '../../server/src/errors';
import contentApiRoutes from '../../server/src/routes/content-api';
import { authorizeBodySchema, revokeBodySchema } from '../../server/src/schemas/access';
import { bulkAuthorizeRequestSchema, bulkRevokeRequestSchema } from '../../server/src/schemas/bulk';
import { videoTokenBodySchema } from '../../server/src/schemas/video-token';
import { OPENAPI_FILE, renderOpenApi } from './openapi-file';
import { readSpec, schemaValidator } from './spec';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** `GET /channels/:idChannel` in the route file is `get /osteocom/channels/{idChannel}` in the spec. */
const routeKeys = () =>
  contentApiRoutes()
    .routes.map((route) => `${route.method.toLowerCase()} /osteocom${route.path.replace(/:(\w+)/g, '{$1}')}`)
    .sort();

const specKeys = (spec: OpenAPIV3.Document) =>
  Object.entries(spec.paths)
    .flatMap(([path, item]) => METHODS.filter((method) => item?.[method]).map((method) => `${method} ${path}`))
    .sort();

describe('openapi.json', () => {
  it('is what server/src/documentation/openapi.ts generates (run `npm run openapi` after changing it)', () => {
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('is a valid OpenAPI 3.0 document', async () => {
    const spec = readSpec();
    expect(spec.openapi).toMatch(/^3\.0\.\d+$/);
    // Validates against the OpenAPI 3.0 schema and resolves every $ref.
    await expect(SwaggerParser.validate(structuredClone(spec))).resolves.toBeTruthy();
  });

  it('documents every content-API route, and nothing else', () => {
    expect(specKeys(readSpec())).toEqual(routeKeys());
  });

  it('gives every operation an id, a tag, security, success and error replies, and bodies for writes', () => {
    const spec = readSpec();
    const operationIds = new Set<string>();
    for (const key of specKeys(spec)) {
      const [method, path] = key.split(' ') as [(typeof METHODS)[number], string];
      const operation = spec.paths[path]![method]!;
      expect(operation.operationId).toBeTruthy();
      operationIds.add(operation.operationId!);
      expect(operation.tags).toEqual(['Osteocom']);
      expect(operation.security?.length).toBeGreaterThan(0);
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((status) => status.startsWith('2'))).toBe(true);
      expect(statuses).toEqual(expect.arrayContaining(['401', '403']));
      if (method === 'post') expect(operation.requestBody).toBeDefined();
    }
    expect(operationIds.size).toBe(specKeys(spec).length);
  });

  it('lists every stable error code of errors.ts', () => {
    const codes = (readSpec().components!.schemas!.OsteocomErrorCode as OpenAPIV3.SchemaObject).enum;
    expect(codes).toEqual(Object.keys(ERROR_CODES));
  });

  it('defines bearer security schemes for users-permissions JWTs and API tokens', () => {
    const schemes = readSpec().components!.securitySchemes as Record<string, OpenAPIV3.HttpSecurityScheme>;
    expect(schemes.usersPermissionsJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('describes request bodies that accept and refuse what the routes accept and refuse', async () => {
    const check = await schemaValidator();
    const cases: [string, { safeParse(value: unknown): { success: boolean } }, unknown][] = [
      ['OsteocomVideoTokenRequest', videoTokenBodySchema, { videoId: 'v1' }],
      ['OsteocomVideoTokenRequest', videoTokenBodySchema, { videoId: 'v1', userId: 'customer-42' }],
      ['OsteocomVideoTokenRequest', videoTokenBodySchema, {}],
      ['OsteocomVideoTokenRequest', videoTokenBodySchema, { videoId: '<script>' }],
      ['OsteocomVideoTokenRequest', videoTokenBodySchema, { videoId: 'v1', extra: true }],
      ['OsteocomAuthorizationRequest', authorizeBodySchema, { userId: 'cpu-Customer', products: [{ productId: 'c1' }] }],
      ['OsteocomAuthorizationRequest', authorizeBodySchema, { userId: 'u', email: 'a@b.co', marketingConsent: true, name: 'Ann', surname: 'Lee', products: [{ productId: 'c1', price: 10 }] }],
      ['OsteocomAuthorizationRequest', authorizeBodySchema, { userId: 'u', products: [] }],
      ['OsteocomAuthorizationRequest', authorizeBodySchema, { userId: 'u', products: [{ productId: 'c1', price: -1 }] }],
      ['OsteocomAuthorizationRequest', authorizeBodySchema, { userId: '', products: [{ productId: 'c1' }] }],
      ['OsteocomRevocationRequest', revokeBodySchema, { userId: 'u', channelId: 'c1' }],
      ['OsteocomRevocationRequest', revokeBodySchema, { userId: 'u' }],
      ['OsteocomRevocationRequest', revokeBodySchema, { userId: 'u', channelId: 'c 1' }],
      ['OsteocomBulkAuthorizationRequest', bulkAuthorizeRequestSchema, { rows: [{ userId: 'u', productId: 'c1' }, { userId: 'u', email: 'a@b.co', marketingConsent: false, productId: 'c2', price: 5 }] }],
      ['OsteocomBulkAuthorizationRequest', bulkAuthorizeRequestSchema, { rows: [] }],
      ['OsteocomBulkAuthorizationRequest', bulkAuthorizeRequestSchema, { rows: [{ userId: 'u', productId: 'c1', products: [] }] }],
      ['OsteocomBulkAuthorizationRequest', bulkAuthorizeRequestSchema, { rows: Array.from({ length: 1_001 }, () => ({ userId: 'u', productId: 'c1' })) }],
      ['OsteocomBulkRevocationRequest', bulkRevokeRequestSchema, { rows: [{ userId: 'u', channelId: 'c1' }] }],
      ['OsteocomBulkRevocationRequest', bulkRevokeRequestSchema, { rows: [{ userId: 'u' }] }],
      ['OsteocomBulkRevocationRequest', bulkRevokeRequestSchema, { rows: [{ userId: 'u', channelId: 'c1' }], extra: 1 }],
    ];
    for (const [name, zodSchema, body] of cases) {
      const accepted = check(name, body).length === 0;
      expect({ name, body, accepted }).toEqual({ name, body, accepted: zodSchema.safeParse(body).success });
    }
  });

  it('describes the error replies the plugin sends', async () => {
    const check = await schemaValidator();
    expect(check('OsteocomErrorResponse', { data: null, error: { status: 403, name: 'ForbiddenError', message: 'No.', details: { code: 'NOT_ENTITLED' } } })).toEqual([]);
    expect(check('OsteocomErrorResponse', { data: null, error: { status: 400, name: 'ValidationError', message: 'x', details: { code: 'NOPE' } } })).not.toEqual([]);
    expect(check('StrapiErrorResponse', { data: null, error: { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials', details: {} } })).toEqual([]);
  });
});

describe('@strapi/plugin-documentation override', () => {
  const fakeStrapi = (documentationConfig: unknown, registerOverride?: jest.Mock) =>
    ({
      plugin: (name: string) => (name === 'documentation' && registerOverride ? { service: () => ({ registerOverride }) } : undefined),
      config: { get: (key: string) => (key === 'plugin::documentation' ? documentationConfig : undefined) },
    }) as unknown as Core.Strapi;

  it('does nothing without the documentation plugin', () => {
    expect(() => registerDocumentation(fakeStrapi(undefined))).not.toThrow();
  });

  it('adds the routes, schemas and security schemes for a site with the default plugin list', () => {
    const registerOverride = jest.fn();
    registerDocumentation(fakeStrapi({ 'x-strapi-config': { plugins: null } }, registerOverride));
    expect(registerOverride).toHaveBeenCalledWith(documentationOverride(), { excludeFromGeneration: ['osteocom'] });
    const [override] = registerOverride.mock.calls[0] as [ReturnType<typeof documentationOverride>];
    expect(override).not.toHaveProperty('info');
    expect(override.paths).toEqual(readSpec().paths);
  });

  it("respects a site's own list of documented plugins", () => {
    const registerOverride = jest.fn();
    registerDocumentation(fakeStrapi({ 'x-strapi-config': { plugins: ['users-permissions'] } }, registerOverride));
    expect(registerOverride).toHaveBeenCalledWith(expect.anything(), { pluginOrigin: 'osteocom', excludeFromGeneration: ['osteocom'] });
  });
});
