/** The admin's customer list and customer page. */
import { z } from 'zod';
import { BAD_REQUEST, adminReply, dateTime, pagedReply, paginationQuerySchema, searchQuery, userIdSchema, type RouteContract } from './common';
import { auditEventSchema } from './audit-events';
import { entitlementSchema } from './entitlements';

export const customerParamsSchema = z.object({ userId: userIdSchema }).strip();

/** A customer as admins see it: never the access key. */
export const customerProfileSchema = z.object({
  userId: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  surname: z.string().nullable(),
  /** null: the customer never said (Osteocom then applies its own default). */
  marketingConsent: z.boolean().nullable(),
  erasedAt: dateTime.nullable().describe('When the personal data was last erased (GDPR art. 17); null: never.'),
  createdAt: dateTime,
  updatedAt: dateTime,
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

export const customerSummarySchema = customerProfileSchema.extend({
  activeChannels: z.array(z.string()),
  pending: z.int(),
  failed: z.int(),
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export const customerDetailSchema = customerProfileSchema.extend({
  /** Each with its channel's title: null when the channel is not mirrored. */
  entitlements: z.array(entitlementSchema.extend({ channelTitle: z.string().nullable() })),
});
export type CustomerDetail = z.infer<typeof customerDetailSchema>;

/**
 * `GET /osteocom/customers` (admin): a page of customers. A search (`q`) is refused here with 400
 * `SEARCH_BY_POST`: a URL is written to the request log, and a search is often an email.
 */
export const findCustomers = {
  query: paginationQuerySchema.strip(),
  reply: pagedReply(customerSummarySchema),
  errors: { 400: ['VALIDATION_ERROR', 'SEARCH_BY_POST'] },
} satisfies RouteContract;

/** `POST /osteocom/customers/search` (admin): the search travels in the body, out of every request log. */
export const searchCustomers = {
  body: z
    .object({
      q: searchQuery,
      page: z.int().min(1).max(100_000).default(1),
      pageSize: z.int().min(1).max(100).default(25),
    })
    .strict(),
  reply: pagedReply(customerSummarySchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;
export type CustomerQuery = z.input<typeof searchCustomers.body>;

/** `GET /osteocom/customers/:userId` (admin) */
export const findCustomer = {
  params: customerParamsSchema,
  reply: adminReply(customerDetailSchema),
  errors: { ...BAD_REQUEST, 404: ['CUSTOMER_NOT_FOUND'] },
} satisfies RouteContract;

/** `GET /osteocom/customers/:userId/export` (admin, GDPR art. 15): a JSON download; never the access key. */
export const exportCustomer = {
  params: customerParamsSchema,
  reply: adminReply(
    z.object({
      exportedAt: dateTime,
      /** `earlierValues`: the emails, names and surnames an update replaced, kept until an erasure. */
      customer: customerProfileSchema.extend({ earlierValues: z.object({ email: z.array(z.string()), name: z.array(z.string()), surname: z.array(z.string()) }).partial() }),
      entitlements: customerDetailSchema.shape.entitlements,
      /** Without who else acted (an admin's id, a token's name: another person's data). */
      auditEvents: z.array(auditEventSchema.pick({ action: true, outcome: true, actorType: true, channelKey: true, details: true, createdAt: true })),
    })
  ),
  errors: { ...BAD_REQUEST, 404: ['CUSTOMER_NOT_FOUND'] },
} satisfies RouteContract;

/** `POST /osteocom/customers/:userId/erase` (admin, GDPR art. 17): `changed` is false when it was already done. */
export const eraseCustomer = {
  params: customerParamsSchema,
  reply: adminReply(z.object({ userId: z.string(), erasedAt: dateTime, changed: z.boolean() })),
  /** 409 `PENDING_OPERATIONS`: a purchase still waits to reach Osteocom with the customer's data; `details.pending` names it. */
  errors: { ...BAD_REQUEST, 404: ['CUSTOMER_NOT_FOUND'], 409: ['PENDING_OPERATIONS'] },
} satisfies RouteContract;
export type Erasure = z.infer<typeof eraseCustomer.reply>['data'];
