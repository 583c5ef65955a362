import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { customerProfileSchema, type CustomerProfile as CustomerProfileReply } from '../../../shared/contracts/customers';
import { pageWindow } from '../utils/pagination';
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
  accessKey: string | null;
}

/** What a call says of the customer; an absent key leaves the stored value as it is. */
export type CustomerProfile = Partial<Pick<CustomerRow, 'email' | 'name' | 'surname' | 'marketingConsent'>>;

/** A customer as admins see it: never the access key. */
type VisibleCustomer = CustomerProfileReply;

const VISIBLE_FIELDS = Object.keys(customerProfileSchema.shape);
const SEARCHED_FIELDS = ['userId', 'email', 'name', 'surname'];

/** The customers table. `userId` is unique in the database, so concurrent first purchases make one row. */
export const createCustomerRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(CUSTOMER_UID);

  const find = async (userId: string) => (await query().findOne({ where: { userId } })) as CustomerRow | null;

  return {
    find,

    findVisible: async (userId: string) => (await query().findOne({ select: VISIBLE_FIELDS, where: { userId } })) as VisibleCustomer | null,

    /** A page of customers, last changed first; `q` searches ids, emails and names. */
    async page(q: string | undefined, pagination: Pagination) {
      const where = q ? { $or: SEARCHED_FIELDS.map((field) => ({ [field]: { $containsi: q } })) } : {};
      const [rows, total] = await Promise.all([
        query().findMany({ select: VISIBLE_FIELDS, where, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], ...pageWindow(pagination) }),
        query().count({ where }),
      ]);
      return { rows: rows as VisibleCustomer[], total };
    },

    /** Inserts the customer or updates the fields the call states; returns the row as it was before. */
    async upsert(userId: string, profile: CustomerProfile): Promise<CustomerRow | null> {
      const previous = await find(userId);
      if (previous) {
        await query().update({ where: { id: previous.id }, data: profile });
        return previous;
      }
      const inserted = await createOrConflict(() => query().create({ data: { userId, ...profile } }), () => find(userId));
      if (inserted.created) return null;
      await query().update({ where: { id: inserted.row!.id }, data: profile });
      return inserted.row;
    },

    /** Blanks what identifies the person; the access key stays, so access goes on as sold. */
    erase: (id: number, at: Date) => query().update({ where: { id }, data: { email: null, name: null, surname: null, erasedAt: at } }),

    /** The access key is stable per customer at Osteocom: the latest answer is always right to keep. */
    setAccessKey: (id: number, encrypted: string) => query().update({ where: { id }, data: { accessKey: encrypted } }),
  };
};
