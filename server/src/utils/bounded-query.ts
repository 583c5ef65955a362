/**
 * Limits on what one content-API read of the mirrored catalog may ask for. Channels and videos
 * relate both ways, so an unbounded populate, filter or sort path multiplies rows (and SQL joins)
 * with every level, and `limit=-1` asks for the whole catalog: one anonymous request could take
 * the site down. A read may cross one relation at most, and return at most a page of entries.
 */

/** The most entries a page holds; `-1` ("all") and anything above mean this many. */
export const MAX_PAGE_SIZE = 100;

/** Relations crossed by one populate, filter or sort path. */
export const MAX_RELATION_DEPTH = 1;

export type QueryBoundCode = 'POPULATE_NOT_ALLOWED' | 'FILTER_NOT_ALLOWED' | 'SORT_NOT_ALLOWED';

export interface QueryBoundViolation {
  code: QueryBoundCode;
  param: 'populate' | 'filters' | 'sort';
  path: string;
}

interface Attribute {
  type: string;
  target?: string;
  component?: string;
  private?: boolean;
}

export interface Model {
  attributes: Record<string, Attribute>;
}

/** The model behind a uid (Strapi's `getModel`), or undefined for an unknown one. */
export type ModelOf = (uid: string) => Model | undefined;

const NESTED_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);

/** Keys of a populate entry that stay on the populated type (anything else, `populate` and `on` included, goes deeper). */
const POPULATE_ENTRY_KEYS = new Set(['fields', 'filters', 'sort', 'count']);

/** Logical operators that hold filters on the same type; every other `$` key holds values. */
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$not']);

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Relations crossed by a private one (the video's `channel` back-link): never traversable from the content API. */
const BLOCKED = MAX_RELATION_DEPTH + 1;

/** How many relations an attribute crosses (0, 1, or BLOCKED) and the type it leads to. */
const nestedModel = (model: Model | undefined, key: string, modelOf: ModelOf): { crosses: number; next?: Model } => {
  const attribute = model?.attributes[key];
  if (!attribute || !NESTED_TYPES.has(attribute.type)) return { crosses: 0 };
  if (attribute.private) return { crosses: BLOCKED };
  const uid = attribute.target ?? attribute.component ?? (attribute.type === 'media' ? 'plugin::upload.file' : undefined);
  return { crosses: 1, next: uid ? modelOf(uid) : undefined };
};

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

// Filters ----------------------------------------------------------------------------------------

const filterViolation = (filters: unknown, model: Model | undefined, modelOf: ModelOf, depth: number, path: string): string | undefined => {
  if (Array.isArray(filters)) {
    for (const [index, entry] of filters.entries()) {
      const found = filterViolation(entry, model, modelOf, depth, join(path, String(index)));
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(filters)) return undefined;
  for (const [key, value] of Object.entries(filters)) {
    if (key.startsWith('$')) {
      if (!LOGICAL_OPERATORS.has(key)) continue;
      const found = filterViolation(value, model, modelOf, depth, join(path, key));
      if (found) return found;
      continue;
    }
    const { crosses, next } = nestedModel(model, key, modelOf);
    if (!crosses) continue;
    if (depth + crosses > MAX_RELATION_DEPTH) return join(path, key);
    const found = filterViolation(value, next, modelOf, depth + crosses, join(path, key));
    if (found) return found;
  }
  return undefined;
};

// Sort -------------------------------------------------------------------------------------------

/** Relations crossed by a dotted sort path (`videos.title:desc`). */
const dottedDepth = (dotted: string, model: Model | undefined, modelOf: ModelOf) => {
  let depth = 0;
  let current = model;
  for (const key of dotted.split('.')) {
    const { crosses, next } = nestedModel(current, key, modelOf);
    if (!crosses) break;
    depth += crosses;
    current = next;
  }
  return depth;
};

const sortViolation = (sort: unknown, model: Model | undefined, modelOf: ModelOf, depth: number, path: string): string | undefined => {
  if (typeof sort === 'string') {
    for (const entry of sort.split(',')) {
      const dotted = entry.trim().split(':')[0];
      if (depth + dottedDepth(dotted, model, modelOf) > MAX_RELATION_DEPTH) return join(path, dotted);
    }
    return undefined;
  }
  if (Array.isArray(sort)) {
    for (const entry of sort) {
      const found = sortViolation(entry, model, modelOf, depth, path);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(sort)) return undefined;
  for (const [key, value] of Object.entries(sort)) {
    const { crosses, next } = nestedModel(model, key, modelOf);
    if (!crosses) continue;
    if (depth + crosses > MAX_RELATION_DEPTH) return join(path, key);
    const found = sortViolation(value, next, modelOf, depth + crosses, join(path, key));
    if (found) return found;
  }
  return undefined;
};

// Populate ---------------------------------------------------------------------------------------

/** A populated attribute that is private (the back-link), so goes beyond the bound at once. */
const isBlocked = (model: Model | undefined, key: string, modelOf: ModelOf) => nestedModel(model, key, modelOf).crosses > MAX_RELATION_DEPTH;

/** `videos`, `videos,title`, `*`: one level each; `videos.channel` is two. */
const populateStringViolation = (populate: string, model: Model | undefined, modelOf: ModelOf) =>
  populate
    .split(',')
    .map((entry) => entry.trim())
    .find((entry) => entry.split('.').length > MAX_RELATION_DEPTH || isBlocked(model, entry, modelOf));

interface Violation {
  param: QueryBoundViolation['param'];
  path: string;
}

const populateEntryViolation = (key: string, entry: unknown, model: Model | undefined, modelOf: ModelOf): Violation | undefined => {
  if (isBlocked(model, key, modelOf)) return { param: 'populate', path: key };
  if (!isObject(entry)) return undefined;
  const deeper = Object.keys(entry).find((name) => !POPULATE_ENTRY_KEYS.has(name));
  if (deeper) return { param: 'populate', path: `${key}.${deeper}` };
  // Filters and sort of the populated entries start one relation down.
  const { next } = nestedModel(model, key, modelOf);
  const filters = filterViolation(entry.filters, next, modelOf, 1, `${key}.filters`);
  if (filters) return { param: 'filters', path: filters };
  const sort = sortViolation(entry.sort, next, modelOf, 1, `${key}.sort`);
  if (sort) return { param: 'sort', path: sort };
  return undefined;
};

const populateViolation = (populate: unknown, model: Model | undefined, modelOf: ModelOf): Violation | undefined => {
  if (typeof populate === 'string') {
    const path = populateStringViolation(populate, model, modelOf);
    return path ? { param: 'populate', path } : undefined;
  }
  if (Array.isArray(populate)) {
    for (const entry of populate) {
      const found = populateViolation(entry, model, modelOf);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(populate)) return undefined;
  for (const [key, entry] of Object.entries(populate)) {
    if (key.includes('.')) return { param: 'populate', path: key };
    const found = populateEntryViolation(key, entry, model, modelOf);
    if (found) return found;
  }
  return undefined;
};

// Query ------------------------------------------------------------------------------------------

const CODE_OF: Record<Violation['param'], QueryBoundCode> = { populate: 'POPULATE_NOT_ALLOWED', filters: 'FILTER_NOT_ALLOWED', sort: 'SORT_NOT_ALLOWED' };

/** The first populate, filter or sort path of a content-API query that goes deeper than allowed. */
export const queryBoundViolation = (query: Record<string, unknown>, model: Model | undefined, modelOf: ModelOf): QueryBoundViolation | undefined => {
  const populate = populateViolation(query.populate, model, modelOf);
  const filters = filterViolation(query.filters, model, modelOf, 0, '');
  const sort = sortViolation(query.sort, model, modelOf, 0, '');
  const found: Violation | undefined = populate ?? (filters ? { param: 'filters', path: filters } : undefined) ?? (sort ? { param: 'sort', path: sort } : undefined);
  return found ? { code: CODE_OF[found.param], ...found } : undefined;
};

/** A page size or limit of `-1` ("all") or above the cap becomes the cap; anything else is left to Strapi's own checks. */
export const clampedPageSize = (value: unknown): unknown => {
  const size = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof size !== 'number' || !Number.isInteger(size)) return value;
  return size === -1 || size > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : value;
};

const PAGE_SIZE_KEYS = ['pageSize', 'limit'] as const;

const PAGINATION_KEYS = ['page', 'pageSize', 'start', 'limit', 'withCount'] as const;

const isScalar = (value: unknown) => value === undefined || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * The first pagination value that is not a single value (`pagination[limit][0]=100000`): qs makes
 * it an array, which the clamp cannot read and Strapi's `Math.max` turns back into the number.
 */
export const nonScalarPagination = (query: Record<string, unknown>): string | undefined => {
  if (query.pagination !== undefined && !isObject(query.pagination)) return 'pagination';
  const flat = PAGINATION_KEYS.find((key) => !isScalar(query[key]));
  if (flat) return flat;
  const nested = query.pagination ?? {};
  const inner = PAGINATION_KEYS.find((key) => !isScalar(nested[key]));
  return inner && `pagination.${inner}`;
};

/** The pagination object with its page size clamped, or the same object when nothing changes. */
export const clampedPagination = <P extends Record<string, unknown>>(pagination: P): P => {
  const changed = PAGE_SIZE_KEYS.filter((key) => key in pagination && clampedPageSize(pagination[key]) !== pagination[key]);
  if (!changed.length) return pagination;
  return { ...pagination, ...Object.fromEntries(changed.map((key) => [key, clampedPageSize(pagination[key])])) };
};
