import type { Context, Next } from 'koa';
import { isObject } from '../utils/bounded-query';

/** What a visitor may see of each mirrored type: as the plugin's own catalog routes show it. */
export const VISIBLE = {
  // `listed` unset reads as listed, as in the storefront repository.
  channel: { availability: 'available', $or: [{ listed: true }, { listed: { $null: true } }] },
  video: { availability: 'available' },
} as const;

/**
 * `plugin::osteocom.visible-channels` / `visible-videos`, on the catalog entry routes (Strapi's
 * core find/findOne): the caller's filters are kept and ANDed with the visible rows, so a removed
 * channel or video, or a channel an editor unlisted, is neither listed nor found (404). The
 * Content Manager reads through the admin API and still sees every row.
 */
export const visibleCatalog =
  (type: keyof typeof VISIBLE) => () => async (ctx: Context, next: Next) => {
    const query = ctx.query as Record<string, unknown>;
    const filters = isObject(query.filters) ? [query.filters, VISIBLE[type]] : [VISIBLE[type]];
    // Strapi's query setter re-encodes with qs, which its getter parses back to the same object.
    ctx.query = { ...query, filters: { $and: filters } } as unknown as typeof ctx.query;
    return next();
  };
