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

/**
 * A row of the activity log: one event, or consecutive automatic retries of the same entitlement
 * grouped (`count` > 1, `firstAt` the first retry's time, `createdAt` and the rest the last one's).
 * `actorName` names who acted: an admin's first and last name, an API token's name, null otherwise.
 */
export const auditListEntrySchema = auditEventSchema.extend({
  count: z.int().min(1).describe('How many events the row stands for: more than 1 for grouped automatic retries.'),
  firstAt: dateTime.describe('When the first event of the row happened (createdAt: the last).'),
  actorName: z.string().nullable().describe("The admin's name or the API token's name; null for the system or when unknown."),
});
export type AuditListEntry = z.infer<typeof auditListEntrySchema>;

export const findAuditEvents = {
  query: paginationQuerySchema.extend({ userId: userIdSchema.optional() }).strip(),
  reply: pagedReply(auditListEntrySchema),
  errors: BAD_REQUEST,
} satisfies RouteContract;
