import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { numberedSlug as candidate, slugify } from '../services/catalog/slugs';
import { chunk, tableOf } from '../utils/db';
import { CHANNEL_UID } from './channel-repository';

type Db = Knex | Knex.Transaction;

/** Candidates looked up in one go per new row (`base`, `base-2`, `base-3`); rarer ones one at a time. */
const PREFETCHED = 3;
const IDS_PER_STATEMENT = 500;

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

  /** Which of `values` are slugs already: lookups on the slug's unique index, never a scan. */
  const takenAmong = async (db: Db, values: string[]) => {
    const taken = new Set<string>();
    for (const part of chunk([...new Set(values)], IDS_PER_STATEMENT)) {
      for (const value of (await db(channels.name).whereIn(slug, part).pluck(slug)) as string[])
        taken.add(value);
    }
    return taken;
  };

  /** Gives each row a slug from its title, unique among all channels (`-2`, `-3` … for equal titles). */
  const writeSlugs = async (db: Db, rows: { id: number; title: string | null }[]) => {
    const bases = rows.map((row) => slugify(row.title ?? ''));
    const checked = new Set(
      bases.flatMap((base) => Array.from({ length: PREFETCHED }, (_, i) => candidate(base, i + 1)))
    );
    const taken = await takenAmong(db, [...checked]);
    for (const [index, row] of rows.entries()) {
      let value = '';
      for (let n = 1; !value; n += 1) {
        const next = candidate(bases[index], n);
        if (taken.has(next)) continue;
        if (!checked.has(next)) {
          checked.add(next);
          if ((await takenAmong(db, [next])).size) {
            taken.add(next);
            continue;
          }
        }
        value = next;
      }
      taken.add(value);
      await db(channels.name)
        .where(id, row.id)
        .update({ [slug]: value });
    }
    return rows.length;
  };

  const withoutSlug = (query: Knex.QueryBuilder) =>
    query.where((q) => q.whereNull(slug).orWhere(slug, ''));

  return {
    /** Listed and not featured where unset, and a slug for every channel (a site upgrading). Idempotent; returns the slugs made. */
    async fillDefaults(db: Db = strapi.db.connection) {
      await db(channels.name)
        .whereNull(listed)
        .update({ [listed]: true });
      await db(channels.name)
        .whereNull(featured)
        .update({ [featured]: false });
      const missing = await withoutSlug(
        db(channels.name).select(`${id} as id`, `${title} as title`)
      ).orderBy(id);
      return writeSlugs(db, missing as { id: number; title: string | null }[]);
    },

    /** The same defaults on rows a sync just inserted (without a slug): no read of the table but slug lookups. */
    async fillInserted(db: Db, rows: { id: number; title: string | null }[]) {
      for (const part of chunk(rows.map((row) => row.id), IDS_PER_STATEMENT)) {
        await db(channels.name).whereIn(id, part).update({ [listed]: true, [featured]: false });
      }
      return writeSlugs(db, rows);
    },
  };
};
