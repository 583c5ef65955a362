import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context, Next } from 'koa';
import type { ErrorCode } from '../errors';
import { clampedPagination, isObject, MAX_RELATION_DEPTH, nonScalarPagination, queryBoundViolation, type ModelOf, type QueryBoundViolation } from '../utils/bounded-query';

const MESSAGES: Record<QueryBoundViolation['param'], string> = {
  populate: `populates more than ${MAX_RELATION_DEPTH} relation deep: populate the videos of a channel, one level only (a video's channel is not populated; read it from the channel)`,
  filters: `filters across more than ${MAX_RELATION_DEPTH} relation: filter on a channel's (or a video's) own fields, or on the fields of one related type`,
  sort: `sorts across more than ${MAX_RELATION_DEPTH} relation: sort on a type's own fields, or on the fields of one related type`,
};

/** `pagination[pageSize]`/`[limit]` (and Strapi's flat `pageSize`/`limit`) clamped to the cap; the same query when nothing changes. */
const clampedQuery = (query: Record<string, unknown>) => {
  const flat = clampedPagination(query);
  const pagination = isObject(query.pagination) ? clampedPagination(query.pagination) : query.pagination;
  if (flat === query && pagination === query.pagination) return query;
  return { ...flat, ...(pagination === undefined ? {} : { pagination }) };
};

/**
 * `plugin::osteocom.bounded-channel-query` / `bounded-video-query`, on the catalog entry routes
 * (`/api/osteocom/entries/…`, Strapi's core find/findOne): refuses a populate, filter or sort path
 * that crosses more than one relation, or the private `channel` back-link of a video (400 with
 * `details.code` `POPULATE_NOT_ALLOWED` / `FILTER_NOT_ALLOWED` / `SORT_NOT_ALLOWED` and
 * `details.path`), and clamps the page size to the cap (`-1` included), as Strapi's own `maxLimit`
 * does. Runs after authorization, before the core controller reads the query.
 */
export const boundedCatalogQuery =
  (uid: string) =>
  (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    const modelOf: ModelOf = (name) => strapi.getModel(name as never) as ReturnType<ModelOf>;
    const query = ctx.query as Record<string, unknown>;
    const violation = queryBoundViolation(query, modelOf(uid), modelOf);
    if (violation) {
      throw new errors.ValidationError(`The query ${MESSAGES[violation.param]} (at ${violation.param}.${violation.path}).`, {
        code: violation.code satisfies ErrorCode,
        param: violation.param,
        path: violation.path,
        maxDepth: MAX_RELATION_DEPTH,
      });
    }
    const malformed = nonScalarPagination(query);
    if (malformed) {
      throw new errors.ValidationError(`The query's ${malformed} must be a single value (a number), not a list or an object.`, {
        code: 'VALIDATION_ERROR' satisfies ErrorCode,
        param: malformed,
      });
    }
    const clamped = clampedQuery(query);
    // Strapi's query setter re-encodes with qs, which its getter parses back to the same object.
    if (clamped !== query) ctx.query = clamped as typeof ctx.query;
    return next();
  };
