import fs from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Core } from '@strapi/strapi';
import type { OpenAPIV3 } from 'openapi-types';
import { registerDocumentation } from '../../server/src/documentation';
import { documentationOverride } from '../../server/src/documentation/openapi';
import catalogEntryRoutes from '../../server/src/routes/catalog-entries';
import contentApiRoutes from '../../server/src/routes/content-api';
import { OPENAPI_FILE, renderOpenApi } from './openapi-file';
import { readSpec, schemaValidator } from './spec';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** `GET /channels/:idChannel` in the route file is `get /osteocom/channels/{idChannel}` in the spec. */
const routeKeys = () =>
  [...contentApiRoutes().routes, ...catalogEntryRoutes().routes]
    .map((route) => `${route.method.toLowerCase()} /osteocom${route.path.replace(/:(\w+)/g, '{$1}')}`)
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

  it('defines bearer security schemes for users-permissions JWTs and API tokens', () => {
    const schemes = readSpec().components!.securitySchemes as Record<string, OpenAPIV3.HttpSecurityScheme>;
    expect(schemes.usersPermissionsJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
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
