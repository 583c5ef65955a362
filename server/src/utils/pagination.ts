import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';

/** Strapi's `meta.pagination` shape. */
export const paginate = ({ page, pageSize }: Pagination, total: number) => ({
  page,
  pageSize,
  total,
  pageCount: Math.ceil(total / pageSize),
});

/** The limit and offset of a page, for `strapi.db.query(...).findMany`. */
export const pageWindow = ({ page, pageSize }: Pagination) => ({ offset: (page - 1) * pageSize, limit: pageSize });
