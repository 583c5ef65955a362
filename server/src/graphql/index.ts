import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { OsteocomError } from '../errors';
import { CHANNEL_UID } from '../repositories/channel-repository';
import { VIDEO_UID } from '../repositories/video-repository';
import { INTERNAL_TYPES } from '../middlewares/internal-types-guard';
import { rateLimitedError, videoTokenRetryAfter } from '../middlewares/rate-limit';
import { MAX_PAGE_SIZE, clampedPagination } from '../utils/bounded-query';
import { toOsteocomError } from '../utils/controller';
import { requestMe, requestVideoToken } from '../utils/end-user-requests';

/** The mirrored catalog: queries only, granted like REST (`channel.find`, …); the sync alone writes it. */
const CATALOG_TYPES = [CHANNEL_UID, VIDEO_UID];

interface ShadowCrud {
  disable(): unknown;
  disableMutations(): unknown;
}

interface Nexus {
  objectType(config: { name: string; definition(t: Record<string, unknown>): void }): unknown;
  extendType(config: { type: string; definition(t: Record<string, unknown>): void }): unknown;
  nonNull(type: unknown): unknown;
  list(type: unknown): unknown;
  stringArg(): unknown;
  idArg(): unknown;
}

interface GraphqlContext {
  koaContext: Context;
}

type Field = (name: string, config?: Record<string, unknown>) => void;
type Definer = Record<'string' | 'int' | 'field', Field> & { nonNull: Record<'string' | 'int' | 'field', Field> };

const STRAPI_ERRORS: Record<number, new (message: string, details: Record<string, unknown>) => Error> = {
  400: errors.ValidationError,
  401: errors.UnauthorizedError,
  403: errors.ForbiddenError,
  404: errors.NotFoundError,
  429: errors.RateLimitError,
};

/**
 * GraphQL reports Strapi's own error classes with their `details`: the plugin's errors keep
 * their REST `details.code` (and status) there; anything else stays GraphQL's internal error.
 */
const asStrapiError = (error: OsteocomError) => {
  const details = { ...error.details, status: error.status, ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}) };
  const Known = STRAPI_ERRORS[error.status];
  if (Known) return new Known(error.message, details);
  const generic = new errors.ApplicationError(error.message, details);
  (generic as { name: string }).name = error.name;
  return generic;
};

const resolving =
  <A>(work: (args: A, ctx: Context) => Promise<unknown>) =>
  async (_parent: unknown, args: A, context: GraphqlContext) => {
    try {
      return await work(args, context.koaContext);
    } catch (error) {
      const known = toOsteocomError(error);
      throw known ? asStrapiError(known) : error;
    }
  };

/** The REST route's rate limit, as a resolver middleware: a caller's REST and GraphQL requests share one count. */
const rateLimited =
  (strapi: Core.Strapi) =>
  async (resolve: (...args: unknown[]) => unknown, parent: unknown, args: unknown, context: GraphqlContext, info: unknown) => {
    const retryAfterSeconds = await videoTokenRetryAfter(strapi, context.koaContext);
    if (retryAfterSeconds) throw asStrapiError(rateLimitedError(retryAfterSeconds));
    return resolve(parent, args, context, info);
  };

type Resolve = (parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/**
 * A page of at most 100 entries, whatever the caller asks (`limit: -1` included) and whatever the
 * site's `maxLimit`: the catalog lists and a channel's videos never return everything at once.
 */
const boundedPage = async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => {
  spend(context as GraphqlContext);
  const pagination = args?.pagination as Record<string, unknown> | undefined;
  if (!pagination) return resolve(parent, args, context, info);
  return resolve(parent, { ...args, pagination: clampedPagination(pagination) }, context, info);
};

/**
 * Aliases repeat a clamped list (`a: osteocomChannels { v1: videos v2: videos … } b: …`), so one
 * request also has a budget: each list of the plugin's types counts as a full page, and a query
 * that asks for more than two channel pages with each channel's videos is refused.
 */
const ENTRIES_PER_REQUEST = 2 * (MAX_PAGE_SIZE + MAX_PAGE_SIZE * MAX_PAGE_SIZE);
const spent = new WeakMap<object, number>();

const spend = ({ koaContext }: GraphqlContext) => {
  const total = (spent.get(koaContext) ?? 0) + MAX_PAGE_SIZE;
  spent.set(koaContext, total);
  if (total > ENTRIES_PER_REQUEST) {
    throw new errors.ValidationError(
      `This query lists more Osteocom channels and videos than one request may (${ENTRIES_PER_REQUEST}: two pages of channels with each channel's videos); split it into several requests.`,
      { code: 'VALIDATION_ERROR', limit: ENTRIES_PER_REQUEST }
    );
  }
};

/** Every field of the plugin's types that lists entries (`video.channel` is private, so not in the schema). */
const PAGED_FIELDS = [
  'Query.osteocomChannels',
  'Query.osteocomChannels_connection',
  'Query.osteocomVideos',
  'Query.osteocomVideos_connection',
  'OsteocomChannel.videos',
  'OsteocomChannel.videos_connection',
];

/** The plugin's catalog routes' rule, in GraphQL's filter syntax: no removed rows, no unlisted channel. */
const VISIBLE_FILTERS = {
  channel: [{ availability: { eq: 'available' } }, { or: [{ listed: { eq: true } }, { listed: { null: true } }] }],
  video: [{ availability: { eq: 'available' } }],
};

const visibleList =
  (type: keyof typeof VISIBLE_FILTERS) => async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) =>
    resolve(parent, { ...args, filters: { and: [...(args?.filters ? [args.filters] : []), ...VISIBLE_FILTERS[type]] } }, context, info);

const isVisible = (type: keyof typeof VISIBLE_FILTERS, entry: Record<string, unknown> | null) =>
  Boolean(entry) && entry!.availability === 'available' && (type === 'video' || entry!.listed !== false);

/** `osteocomChannel(documentId)` / `osteocomVideo(documentId)` take no filters: a hidden entry reads as not found. */
const visibleEntry =
  (type: keyof typeof VISIBLE_FILTERS) => async (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => {
    const entry = (await resolve(parent, args, context, info)) as Record<string, unknown> | null;
    return isVisible(type, entry) ? entry : null;
  };

type Middleware = (resolve: Resolve, parent: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => Promise<unknown>;

const VISIBILITY: Record<string, Middleware[]> = {
  'Query.osteocomChannels': [visibleList('channel')],
  'Query.osteocomChannels_connection': [visibleList('channel')],
  'Query.osteocomChannel': [visibleEntry('channel')],
  'Query.osteocomVideos': [visibleList('video')],
  'Query.osteocomVideos_connection': [visibleList('video')],
  'Query.osteocomVideo': [visibleEntry('video')],
  'OsteocomChannel.videos': [visibleList('video')],
  'OsteocomChannel.videos_connection': [visibleList('video')],
};

const middlewaresOf = (field: string) => [...(PAGED_FIELDS.includes(field) ? [boundedPage] : []), ...(VISIBILITY[field] ?? [])];

const definedOnly = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null));

const endUserSchema = (strapi: Core.Strapi) => ({ nexus }: { nexus: Nexus }) => ({
  types: [
    nexus.objectType({
      name: 'OsteocomVideoToken',
      definition(t) {
        const d = t as unknown as Definer;
        d.nonNull.string('videoId');
        d.nonNull.string('token');
        d.nonNull.int('expiresIn');
        d.nonNull.string('expiresAt');
        d.string('playerUrl');
      },
    }),
    nexus.objectType({
      name: 'OsteocomMyEntitlement',
      definition(t) {
        const d = t as unknown as Definer;
        d.nonNull.string('channelId');
        d.string('channelTitle');
        d.nonNull.string('status');
        d.field('authorizedAt', { type: 'DateTime' });
        d.field('revokedAt', { type: 'DateTime' });
        d.field('accessUntil', { type: 'DateTime' });
      },
    }),
    nexus.objectType({
      name: 'OsteocomMe',
      definition(t) {
        const d = t as unknown as Definer;
        d.nonNull.string('userId');
        d.nonNull.field('entitlements', { type: nexus.nonNull(nexus.list(nexus.nonNull('OsteocomMyEntitlement'))) });
      },
    }),
    nexus.extendType({
      type: 'Query',
      definition(t) {
        (t as unknown as Definer).field('osteocomMe', {
          type: nexus.nonNull('OsteocomMe'),
          resolve: resolving((_args, ctx) => requestMe(strapi, ctx)),
        });
      },
    }),
    nexus.extendType({
      type: 'Mutation',
      definition(t) {
        (t as unknown as Definer).field('osteocomVideoToken', {
          type: nexus.nonNull('OsteocomVideoToken'),
          args: { videoId: nexus.nonNull(nexus.stringArg()), userId: nexus.stringArg() },
          resolve: resolving((args: { videoId: string; userId?: string | null }, ctx) => requestVideoToken(strapi, ctx, definedOnly(args))),
        });
      },
    }),
  ],
  // The same content-API actions as the REST routes: whoever may call one may call the other.
  resolversConfig: {
    ...Object.fromEntries([...new Set([...PAGED_FIELDS, ...Object.keys(VISIBILITY)])].map((field) => [field, { middlewares: middlewaresOf(field) }])),
    'Query.osteocomMe': { auth: { scope: ['plugin::osteocom.me.get'] } },
    'Mutation.osteocomVideoToken': { auth: { scope: ['plugin::osteocom.video-token.create'] }, middlewares: [rateLimited(strapi)] },
  },
});

/** In `register`, before the GraphQL plugin builds its schema in its bootstrap; a no-op without it. */
export const registerGraphql = (strapi: Core.Strapi) => {
  const graphql = strapi.plugin('graphql');
  if (!graphql) return;
  const extension = graphql.service('extension') as unknown as { shadowCRUD(uid: string): ShadowCrud; use(configuration: unknown): unknown };
  // Customers, purchases, the audit trail and the plugin's bookkeeping: never in the GraphQL schema.
  for (const uid of INTERNAL_TYPES) extension.shadowCRUD(uid).disable();
  for (const uid of CATALOG_TYPES) extension.shadowCRUD(uid).disableMutations();
  extension.use(endUserSchema(strapi));
};
