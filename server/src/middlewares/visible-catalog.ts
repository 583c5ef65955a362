import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { isObject } from '../utils/bounded-query';

/** What a visitor may see of each mirrored type: as the plugin's own catalog routes show it. */
export const VISIBLE = {
  // `listed` unset reads as listed, as in the storefront repository.
  channel: { availability: 'available', $or: [{ listed: true }, { listed: { $null: true } }] },
  video: { availability: 'available' },
} as const;

/** The channel's relation to its videos, the one populate that must hide removed rows. */
const VIDEOS = 'videos';

/** A populate entry for `videos` with the caller's own options kept and its filters ANDed with the visible rows. */
const visibleVideos = (entry: unknown) => {
  const options = isObject(entry) ? entry : {};
  return { ...options, filters: isObject(options.filters) ? { $and: [options.filters, VISIBLE.video] } : VISIBLE.video };
};

/** `a.b` paths (a string, comma-separated, or a list) as the equivalent object populate. */
const pathsToObject = (paths: string[]) => {
  const populate: Record<string, unknown> = {};
  for (const path of paths) {
    const [root, ...rest] = path.trim().split('.');
    if (root) populate[root] = rest.length ? { populate: rest.join('.') } : true;
  }
  return populate;
};

/**
 * What `*` populates on a channel, spelled out: every relation, media and component attribute that
 * is not private. `videos` only when the caller may read videos (Strapi drops a relation it may not
 * read from `*` silently, but refuses it when named).
 */
const wildcard = async (strapi: Core.Strapi, ctx: Context, model: { attributes: Record<string, { type: string; private?: boolean }> }) => {
  const populate: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(model.attributes)) {
    if (attribute.private || !['relation', 'media', 'component', 'dynamiczone'].includes(attribute.type)) continue;
    populate[name] = true;
  }
  const auth = (ctx.state as { auth?: unknown }).auth;
  const mayReadVideos = await strapi.auth.verify(auth as never, { scope: ['plugin::osteocom.video.find'] }).then(
    () => true,
    () => false
  );
  if (!mayReadVideos) delete populate[VIDEOS];
  return populate;
};

/**
 * A channel's populate with `videos`, in any of Strapi's forms (`videos`, `*`, a list, an object),
 * as an object whose `videos` entry filters out removed videos; undefined when it has no videos.
 */
const channelPopulate = async (strapi: Core.Strapi, ctx: Context, populate: unknown): Promise<Record<string, unknown> | undefined> => {
  let object: Record<string, unknown>;
  if (populate === '*') object = await wildcard(strapi, ctx, strapi.getModel('plugin::osteocom.channel' as never) as never);
  else if (typeof populate === 'string') object = pathsToObject(populate.split(','));
  else if (Array.isArray(populate) && populate.every((entry) => typeof entry === 'string')) object = pathsToObject(populate);
  else if (isObject(populate)) object = populate;
  else return undefined;
  if (!(VIDEOS in object)) return undefined;
  return { ...object, [VIDEOS]: visibleVideos(object[VIDEOS]) };
};

/**
 * `plugin::osteocom.visible-channels` / `visible-videos`, on the catalog entry routes (Strapi's
 * core find/findOne): the caller's filters are kept and ANDed with the visible rows, so a removed
 * channel or video, or a channel an editor unlisted, is neither listed nor found (404); a
 * channel's populated `videos` leave out removed videos the same way (runs after the bound check,
 * so the rewritten populate stays one relation deep). The Content Manager reads through the admin
 * API and still sees every row.
 */
export const visibleCatalog =
  (type: keyof typeof VISIBLE) =>
  (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async (ctx: Context, next: Next) => {
    const query = ctx.query as Record<string, unknown>;
    const filters = isObject(query.filters) ? [query.filters, VISIBLE[type]] : [VISIBLE[type]];
    const populate = type === 'channel' ? await channelPopulate(strapi, ctx, query.populate) : undefined;
    // Strapi's query setter re-encodes with qs, which its getter parses back to the same object.
    ctx.query = { ...query, filters: { $and: filters }, ...(populate ? { populate } : {}) } as unknown as typeof ctx.query;
    return next();
  };
