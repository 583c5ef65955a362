/** `GET /osteocom/audit-events` (admin): who did what, newest first. */
import { z } from 'zod';
import { BAD_REQUEST, dateTime, pagedReply, paginationQuerySchema, userIdSchema, type RouteContract } from './common';

export const auditOutcomeSchema = z.enum(['success', 'pending', 'failure']);
export const actorTypeSchema = z.enum(['admin', 'api-token', 'end-user', 'system', 'unknown']);

export const auditEventSchema = z.object({
  id: z.int(),
  action: z.string(),
  outcome: auditOutcomeSchema,
  actorType: actorTypeSchema,
  actorId: z.string().nullable(),
  /** The admin token an admin acted through. */
  actorToken: z.object({ id: z.string(), name: z.string() }).nullable(),
  subjectUserId: z.string().nullable(),
  channelKey: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: dateTime,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const findAuditEvents = {
  query: paginationQuerySchema.extend({ userId: userIdSchema.optional() }).strip(),
  reply: pagedReply(auditEventSchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;
