import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { MemberFilter, MemberSort, MemberStatus } from '../../../shared/contracts/members';
import { tableOf } from '../utils/db';
import { CUSTOMER_UID } from './customer-repository';
import { ENTITLEMENT_UID } from './entitlement-repository';

const DAY_MS = 86_400_000;
/** Words of a search that must all match: more is a sentence, not a name. */
const MAX_WORDS = 5;

/** A filter with what the database needs: the instants as epoch ms (`endsBy` already read in the site's zone). */
export interface MemberWhere extends Omit<MemberFilter, 'endsBy'> {
  endsByMs?: number;
}

/** `LIKE` with `!` as escape character: the same on SQLite (no default), PostgreSQL and MySQL (backslash differs). */
const likeContains = (word: string) => `%${word.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`)}%`;

/**
 * The member list's rows in SQL: entitlements (`e`) with their customer (`c`), filtered, sorted
 * and paged by the database; only a page of ids reaches Node. Instants are epoch-ms numbers, so
 * every comparison is a plain number comparison on all three databases.
 */
export const createMemberRepository = (strapi: Core.Strapi) => {
  const e = tableOf(strapi, ENTITLEMENT_UID);
  const c = tableOf(strapi, CUSTOMER_UID);
  const ec = (attribute: string) => `e.${e.column(attribute)}`;
  const cc = (attribute: string) => `c.${c.column(attribute)}`;
  const knex = () => strapi.db.connection;

  /**
   * Where a status is decided: `expired` is a time-limited access whose end passed and that ended
   * by it (revoked at or after its end, or not yet revoked); a refund before the end stays `revoked`.
   */
  const whereStatus = (query: Knex.QueryBuilder, status: MemberStatus, now: number) => {
    const ended = (q: Knex.QueryBuilder) =>
      q
        .whereNotNull(ec('accessUntil'))
        .where(ec('accessUntil'), '<=', now)
        .whereIn(ec('status'), ['active', 'revoked'])
        .where((inner) => inner.whereNull(ec('revokedAt')).orWhereRaw('?? <= ??', [ec('accessUntil'), ec('revokedAt')]));
    if (status === 'expired') return query.where(ended);
    if (status === 'revoked') return query.where(ec('status'), 'revoked').whereNot(ended);
    if (status === 'active') return query.where(ec('status'), 'active').where((q) => q.whereNull(ec('accessUntil')).orWhere(ec('accessUntil'), '>', now));
    return query.where(ec('status'), status);
  };

  const filtered = (filter: MemberWhere, now: number) => {
    const query = knex()(`${e.name} as e`).leftJoin(`${c.name} as c`, cc('userId'), ec('customerKey'));
    if (filter.channel) query.where(ec('channelKey'), filter.channel);
    if (filter.status) whereStatus(query, filter.status, now);
    if (filter.expiringWithinDays) {
      // As the "Expiring soon" list: accesses still running (or on their way) that end by then.
      query.where(ec('accessUntil'), '>', now).where(ec('accessUntil'), '<=', now + filter.expiringWithinDays * DAY_MS).whereIn(ec('status'), ['active', 'pending']);
    }
    if (filter.endsByMs !== undefined) query.whereNotNull(ec('accessUntil')).where(ec('accessUntil'), '<=', filter.endsByMs);
    const words = (filter.q ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
    for (const word of words) {
      const pattern = likeContains(word);
      query.where((q) => {
        for (const column of [ec('customerKey'), cc('email'), cc('name'), cc('surname')]) q.orWhereRaw(`LOWER(??) LIKE ? ESCAPE '!'`, [column, pattern]);
      });
    }
    return query;
  };

  /** Nulls last whichever the direction: an access for good has no end to sort by, a customer may have no name. */
  const ordered = (query: Knex.QueryBuilder, sort: MemberSort, order: 'asc' | 'desc') => {
    const by = (column: string) => query.orderByRaw(`CASE WHEN ?? IS NULL THEN 1 ELSE 0 END`, [column]).orderBy(column, order);
    if (sort === 'name') by(cc('surname')).orderBy(cc('name'), order);
    else if (sort === 'email') by(cc('email'));
    else if (sort === 'accessEnd') by(ec('accessUntil'));
    else query.orderBy(ec('updatedAt'), order);
    return query.orderBy('e.id', order);
  };

  return {
    /** A page of entitlement ids, in the list's order, and how many match. */
    async page(filter: MemberWhere, now: number, sort: MemberSort, order: 'asc' | 'desc', offset: number, limit: number) {
      const [rows, [{ total }]] = await Promise.all([
        ordered(filtered(filter, now).select('e.id as id'), sort, order).offset(offset).limit(limit),
        filtered(filter, now).count({ total: '*' }),
      ]);
      return { ids: (rows as { id: number | string }[]).map((row) => Number(row.id)), total: Number(total) };
    },

    /** The next `limit` matching entitlement ids after `afterId` (keyset, by id): the export's pages. */
    async idsAfter(filter: MemberWhere, now: number, afterId: number, limit: number) {
      const rows = await filtered(filter, now).select('e.id as id').where('e.id', '>', afterId).orderBy('e.id', 'asc').limit(limit);
      return (rows as { id: number | string }[]).map((row) => Number(row.id));
    },
  };
};
