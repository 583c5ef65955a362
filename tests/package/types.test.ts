/**
 * The types exported for site developers (`strapi-plugin-osteocom/types`) and openapi.json are
 * both generated from shared/contracts; typed samples validated against the document check the
 * generator's OpenAPI 3.0 adjustments (nullable enums, `null`-only data, dropped patterns).
 */
import type {
  AuthorizationResponse,
  BulkAuthorizationResponse,
  BulkRevocationResponse,
  ChannelListResponse,
  ChannelResponse,
  MeResponse,
  OsteocomErrorResponse,
  OsteocomServices,
  RevocationResponse,
  VideoTokenResponse,
} from '../../server/src/types';
import type { Services } from '../../server/src/utils/get-service';
import { schemaValidator } from './spec';

/** Compile-time: the plugin's own services satisfy the server API the types publish (a drift fails `tsc`). */
export const publishedServices = (services: Services): OsteocomServices => services;

const samples: [string, unknown][] = [
  [
    'OsteocomChannelListResponse',
    {
      data: [
        {
          idChannel: 'c1',
          title: 'Knee',
          subtitle: null,
          htmlDescription: '<p>x</p>',
          price: 60,
          cover: '/uploads/knee_cover.jpg',
          background: null,
          trailer: null,
          authors: [{ name: 'Dr. Rossi', image: 'https://example.com/a.jpg' }, { name: 'Dr. Bianchi' }],
          slug: 'knee',
          featured: true,
          summary: 'The whole knee course.',
          videos: [{ videoId: 'v1', title: 'Lesson 1', duration: 331, videoQuality: 'HD', position: 0 }],
        },
      ],
      meta: { pagination: { page: 1, pageSize: 25, total: 1, pageCount: 1 } },
    } satisfies ChannelListResponse,
  ],
  [
    'OsteocomChannelResponse',
    {
      data: {
        idChannel: 'c1',
        title: 'Knee',
        subtitle: null,
        htmlDescription: null,
        price: null,
        cover: null,
        background: null,
        trailer: null,
        authors: null,
        slug: 'knee',
        featured: false,
        summary: null,
        videos: [],
      },
      meta: {},
    } satisfies ChannelResponse,
  ],
  [
    'OsteocomVideoTokenResponse',
    { data: { videoId: 'v1', token: 'eyJ…', expiresIn: 900, expiresAt: '2026-11-26T20:56:32.940Z' }, meta: {} } satisfies VideoTokenResponse,
  ],
  [
    'OsteocomMeResponse',
    {
      data: { userId: 'u1', entitlements: [{ channelId: 'c1', channelTitle: 'Knee', status: 'active', authorizedAt: '2026-11-26T20:41:32.913Z', revokedAt: null, accessUntil: null, accessFrom: null }] },
      meta: {},
    } satisfies MeResponse,
  ],
  [
    'OsteocomAuthorizationResponse',
    {
      data: {
        state: 'pending',
        userId: 'u1',
        entitlements: [
          {
            channelKey: 'c1',
            status: 'pending',
            price: 60,
            authorizedAt: null,
            revokedAt: null,
            accessUntil: null,
            accessFrom: null,
            pausedAt: null,
            pendingOperation: 'authorize',
            lastError: 'Osteocom is unavailable',
            lastErrorCode: 'UPSTREAM_UNAVAILABLE',
            needsReconciliation: false,
            attempts: 1,
            nextAttemptAt: '2026-11-26T20:42:02.913Z',
            remindedFor: null,
            reminderOutcome: null,
            updatedAt: '2026-11-26T20:41:32.903Z',
          },
        ],
      },
      meta: {},
    } satisfies AuthorizationResponse,
  ],
  [
    'OsteocomRevocationResponse',
    {
      data: {
        state: 'revoked',
        userId: 'u1',
        entitlements: [
          {
            channelKey: 'c1',
            status: 'revoked',
            price: 60,
            authorizedAt: '2026-11-26T20:41:32.913Z',
            revokedAt: '2026-11-27T09:00:00.000Z',
            accessUntil: null,
            accessFrom: null,
            pausedAt: null,
            pendingOperation: null,
            lastErrorCode: null,
            needsReconciliation: false,
            lastError: null,
            attempts: 1,
            nextAttemptAt: null,
            remindedFor: null,
            reminderOutcome: null,
            updatedAt: '2026-11-27T09:00:00.100Z',
          },
        ],
      },
      meta: {},
    } satisfies RevocationResponse,
  ],
  [
    'OsteocomBulkAuthorizationResponse',
    {
      data: {
        results: [
          { row: 0, userId: 'u1', productId: 'c1', outcome: 'active' },
          { row: 1, userId: 'u2', productId: 'c9', outcome: 'refused', code: 'UNKNOWN_CHANNEL', message: 'Unknown channel: c9.' },
        ],
      },
      meta: {},
    } satisfies BulkAuthorizationResponse,
  ],
  [
    'OsteocomBulkRevocationResponse',
    { data: { results: [{ row: 0, userId: 'u1', channelId: 'c1', outcome: 'pending' }] }, meta: {} } satisfies BulkRevocationResponse,
  ],
  [
    'OsteocomErrorResponse',
    {
      data: null,
      error: { status: 400, name: 'ValidationError', message: 'The request is not valid: videoId: Required', details: { code: 'VALIDATION_ERROR', errors: [{ path: ['videoId'], message: 'Required' }] } },
    } satisfies OsteocomErrorResponse,
  ],
];

describe('types for site developers', () => {
  it('type the replies that openapi.json describes', async () => {
    const check = await schemaValidator();
    for (const [name, sample] of samples) expect({ name, errors: check(name, sample) }).toEqual({ name, errors: [] });
  });
});
