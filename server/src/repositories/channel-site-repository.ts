import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { slugify, uniqueSlug } from '../services/catalog/slugs';
import { tableOf } from '../utils/db';
import { CHANNEL_UID } from './channel-repository';

/**
 * Writes of a channel's site-owned fields that the Content Manager does not make: their defaults
 * on the rows the sync inserts (it writes only Osteocom's fields) and on the rows of a site that
 * upgraded from a version without them.
 */
export const createChannelSiteRepository = (strapi: Core.Strapi) => {
  const channels = tableOf(strapi, CHANNEL_UID);
  const [id, title, slug, listed, featured] = ['id', 'title', 'slug', 'listed', 'featured'].map(
    channels.column
  );

  /** Each row without a slug gets one from its title, unique among all channels; returns how many. */
  const fillSlugs = async (db: Knex | Knex.Transaction) => {
    const missing = (await db(channels.name)
      .select(`${id} as id`, `${title} as title`)
      .where((q) => q.whereNull(slug).orWhere(slug, ''))
      .orderBy(id)) as { id: number; title: string | null }[];
    if (!missing.length) return 0;
    const taken = new Set((await db(channels.name).whereNotNull(slug).pluck(slug)) as string[]);
    for (const row of missing) {
      const value = uniqueSlug(slugify(row.title ?? ''), taken);
      taken.add(value);
      await db(channels.name)
        .where(id, row.id)
        .update({ [slug]: value });
    }
    return missing.length;
  };

  return {
    /** Listed and not featured where unset, and a slug for every channel. Idempotent; returns the slugs made. */
    async fillDefaults(db: Knex | Knex.Transaction = strapi.db.connection) {
      await db(channels.name)
        .whereNull(listed)
        .update({ [listed]: true });
      await db(channels.name)
        .whereNull(featured)
        .update({ [featured]: false });
      return fillSlugs(db);
    },
  };
};
