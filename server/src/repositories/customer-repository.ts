import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { customerProfileSchema, type CustomerProfile as CustomerProfileReply } from '../../../shared/contracts/customers';
import { pageWindow } from '../utils/pagination';
import { tableOf } from '../utils/db';
import { OsteocomError } from '../errors';
import { createOrConflict } from './conflict';

export const CUSTOMER_UID = 'plugin::osteocom.customer';

export interface CustomerRow {
  id: number;
  userId: string;
  email: string | null;
  name: string | null;
  surname: string | null;
  /** null: the customer never said (Osteocom then applies its own default). */
  marketingConsent: boolean | null;
  /** When the customer's personal data was last erased (GDPR art. 17); null: never. */
  erasedAt: string | null;
  /** Values an update replaced, kept so that an erasure finds the person by every value they had. */
  earlierValues: EarlierValues | null;
  accessKey: string | null;
}

/** The email, name and surname values a customer held before, per field, oldest first. */
export type EarlierValues = Partial<Record<PersonalField, string[]>>;

export const PERSONAL_FIELDS = ['email', 'name', 'surname'] as const;
type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** What a call says of the customer; an absent key leaves the stored value as it is. */
export type CustomerProfile = Partial<Pick<CustomerRow, 'email' | 'name' | 'surname' | 'marketingConsent'>>;

/** A customer as admins see it: never the access key. */
type VisibleCustomer = CustomerProfileReply;

/** Concurrent writers an update re-reads after before it gives up. */
const MAX_RACES = 20;

/** `earlierValues` after `profile` replaces the row's values: each replaced, non-blank value once. */
export const withEarlier = (row: Pick<CustomerRow, PersonalField | 'earlierValues'>, profile: CustomerProfile): EarlierValues => {
  const earlier: EarlierValues = { ...(row.earlierValues ?? {}) };
  for (const field of PERSONAL_FIELDS) {
    const old = row[field];
    if (!(field in profile) || profile[field] === old || !old?.trim()) continue;
    const list = earlier[field] ?? [];
    if (!list.includes(old)) earlier[field] = [...list, old];
  }
  return earlier;
};

const VISIBLE_FIELDS = Object.keys(customerProfileSchema.shape);
const SEARCHED_FIELDS = ['userId', 'email', 'name', 'surname'];
/** Every word must match a field: "Luca Bianchi" finds name Luca, surname Bianchi. */
const searchWhere = (q: string) => ({
  $and: q.split(/\s+/).filter(Boolean).slice(0, 5).map((word) => ({ $or: SEARCHED_FIELDS.map((field) => ({ [field]: { $containsi: word } })) })),
});

/** The customers table. `userId` is unique in the database, so concurrent first purchases make one row. */
export const createCustomerRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(CUSTOMER_UID);

  const find = async (userId: string) => (await query().findOne({ where: { userId } })) as CustomerRow | null;

  /** Writes `data` only while the row still holds the personal values of `row`. */
  const updateHolding = async (row: CustomerRow, data: Record<string, unknown>) => {
    const where = { id: row.id, ...Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, row[field]])) };
    const { count } = await query().updateMany({ where, data });
    if (count === 1) return true;
    // A value the database does not give back as it was sent (SQLite returns a lone surrogate's
    // bytes as U+FFFD) never equals itself in a WHERE: when a fresh read still shows what was read, write by id.
    const now = (await query().findOne({ where: { id: row.id } })) as CustomerRow | null;
    if (!now || PERSONAL_FIELDS.some((field) => now[field] !== row[field])) return false;
    await query().update({ where: { id: row.id }, data });
    return true;
  };

  return {
    find,

    findVisible: async (userId: string) => (await query().findOne({ select: VISIBLE_FIELDS, where: { userId } })) as VisibleCustomer | null,

    /** A page of customers, last changed first; `q` searches ids, emails and names. */
    async page(q: string | undefined, pagination: Pagination) {
      const where = q ? searchWhere(q) : {};
      const [rows, total] = await Promise.all([
        query().findMany({ select: VISIBLE_FIELDS, where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], ...pageWindow(pagination) }),
        query().count({ where }),
      ]);
      return { rows: rows as VisibleCustomer[], total };
    },

    /** The next `limit` customer ids after row `afterId` (keyset, by row id) whose id, email or name contains `q`. */
    matchingPage: async (q: string, afterId: number, limit: number) =>
      (await query().findMany({ select: ['id', 'userId'], where: { ...searchWhere(q), id: { $gt: afterId } }, orderBy: { id: 'asc' }, limit })) as { id: number; userId: string }[],

    /** The profiles of these customers (the export's columns), by user id. */
    async profilesOf(userIds: string[]) {
      const rows = (await query().findMany({ select: ['userId', 'email', 'name', 'surname', 'marketingConsent'], where: { userId: { $in: userIds } } })) as Pick<
        CustomerRow,
        'userId' | 'email' | 'name' | 'surname' | 'marketingConsent'
      >[];
      return new Map(rows.map((row) => [row.userId, row]));
    },

    /**
     * Inserts the customer or updates the fields the call states; returns the row as it was before.
     * A value replaced joins `earlierValues`; the update holds only while the row still has the
     * values read (compare-and-set), so two concurrent updates never lose one of them.
     */
    async upsert(userId: string, profile: CustomerProfile): Promise<CustomerRow | null> {
      for (let attempt = 0; attempt < MAX_RACES; attempt += 1) {
        const previous = await find(userId);
        if (!previous) {
          const inserted = await createOrConflict(() => query().create({ data: { userId, ...profile } }), () => find(userId));
          if (inserted.created) return null;
          continue;
        }
        if (await updateHolding(previous, { ...profile, earlierValues: withEarlier(previous, profile) })) return previous;
      }
      throw new OsteocomError('INTERNAL_ERROR', 'The customer kept changing under concurrent calls; try again.');
    },

    /** The earlier values, for the customer's personal-data export. */
    earlierValuesOf: async (userId: string) => ((await query().findOne({ select: ['earlierValues'], where: { userId } })) as Pick<CustomerRow, 'earlierValues'> | null)?.earlierValues ?? {},

    /**
     * Blanks what identifies the person, earlier values included, while the row still holds the
     * values the erasure masked elsewhere and `unless` finds no row, in one statement (false: a
     * call changed the values or `unless` found a row meanwhile; look again). The access key
     * stays, so access goes on as sold. Through knex: the query engine has no NOT EXISTS.
     */
    async erase(row: CustomerRow, at: Date, unless: Knex.QueryBuilder) {
      const table = tableOf(strapi, CUSTOMER_UID);
      const blank = Object.fromEntries([...PERSONAL_FIELDS, 'earlierValues'].map((field) => [table.column(field), null]));
      const write = (where: Record<string, unknown>) =>
        // Epoch ms, as the model's lifecycle writes it (database/epoch-instants.ts), which this knex write bypasses.
        strapi.db.connection(table.name).where(where).whereNotExists(unless).update({ ...blank, [table.column('erasedAt')]: at.getTime() });
      const holding = Object.fromEntries(PERSONAL_FIELDS.map((field) => [table.column(field), row[field]]));
      if ((await write({ [table.column('id')]: row.id, ...holding })) === 1) return true;
      // A value the database does not give back as it was sent (see updateHolding): by id while a fresh read still shows it.
      const now = (await query().findOne({ where: { id: row.id } })) as CustomerRow | null;
      if (!now || PERSONAL_FIELDS.some((field) => now[field] !== row[field])) return false;
      return (await write({ [table.column('id')]: row.id })) === 1;
    },

    /** The access key is stable per customer at Osteocom: the latest answer is always right to keep. */
    setAccessKey: (id: number, encrypted: string) => query().updateMany({ where: { id }, data: { accessKey: encrypted } }),
  };
};
