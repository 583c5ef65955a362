import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import type { ReminderOutcome } from '../../../shared/contracts/reminders';
import { tableOf } from '../utils/db';
import { ENTITLEMENT_UID } from './entitlement-repository';

/** What the reminder pass reads of an entitlement; `accessUntil` as epoch ms, as stored. */
const dueRowSchema = z.object({
  id: z.number().int(),
  customerKey: z.string(),
  channelKey: z.string(),
  accessUntil: z.coerce.number().int(),
});
export type DueReminder = z.infer<typeof dueRowSchema>;


/** Accesses that may be reminded: the same as the admin's Expiring soon (active or pending, not revoked). */
const REMINDED_STATUSES = ['active', 'pending'];

/**
 * The reminder columns of the entitlements table. `remindedFor` holds the `accessUntil` the reminder
 * was sent for: an access is due while its end is near and differs from it (never reminded, or
 * extended since), and a reminder is claimed with a compare-and-set on it — one UPDATE that only one
 * server can win, whatever number of servers run the pass at once. It is not part of the row's
 * `version`: a reminder never changes what the customer may play, so it races no money write.
 * Raw knex with epoch numbers (the columns are bigintegers): a column compared to another is not
 * expressible in Strapi's query engine.
 */
export const createReminderRepository = (strapi: Core.Strapi) => {
  const table = () => tableOf(strapi, ENTITLEMENT_UID);
  const knex = () => strapi.db.connection;

  const dueWhere = (builder: ReturnType<ReturnType<typeof knex>>, from: number, to: number) => {
    const { column } = table();
    return builder
      .where(column('accessUntil'), '>', from)
      .andWhere(column('accessUntil'), '<=', to)
      .whereIn(column('status'), REMINDED_STATUSES)
      .andWhere((where) => where.whereNull(column('remindedFor')).orWhere(column('remindedFor'), '<>', knex().ref(column('accessUntil'))));
  };

  return {
    /** Up to `limit` accesses ending after `from` and by `to` whose end has no reminder yet, soonest first. */
    async due(from: Date, to: Date, limit: number): Promise<DueReminder[]> {
      const { name, column } = table();
      const rows = await dueWhere(knex()(name), from.getTime(), to.getTime())
        .select({ id: column('id'), customerKey: column('customerKey'), channelKey: column('channelKey'), accessUntil: column('accessUntil') })
        .orderBy([column('accessUntil'), column('id')])
        .limit(limit);
      return z.array(dueRowSchema).parse(rows);
    },

    /** Claims the reminder of this access for this end date: true for exactly one caller. */
    async claim(row: DueReminder): Promise<boolean> {
      const { name, column } = table();
      const updated = await knex()(name)
        .where(column('id'), row.id)
        .andWhere(column('accessUntil'), row.accessUntil)
        .andWhere((where) => where.whereNull(column('remindedFor')).orWhere(column('remindedFor'), '<>', row.accessUntil))
        .update({ [column('remindedFor')]: row.accessUntil, [column('reminderOutcome')]: 'claimed' });
      return updated === 1;
    },

    /** Records how the claimed reminder ended, unless a later end date was claimed meanwhile. */
    async record(row: DueReminder, outcome: ReminderOutcome) {
      const { name, column } = table();
      await knex()(name)
        .where(column('id'), row.id)
        .andWhere(column('remindedFor'), row.accessUntil)
        .update({ [column('reminderOutcome')]: outcome });
    },

    /** Every access ending after `from` and by `to` (reminded or not), soonest first, for the owner's digest. */
    async ending(from: Date, to: Date, limit: number): Promise<DueReminder[]> {
      const { name, column } = table();
      const rows = await knex()(name)
        .where(column('accessUntil'), '>', from.getTime())
        .andWhere(column('accessUntil'), '<=', to.getTime())
        .whereIn(column('status'), REMINDED_STATUSES)
        .select({ id: column('id'), customerKey: column('customerKey'), channelKey: column('channelKey'), accessUntil: column('accessUntil') })
        .orderBy([column('accessUntil'), column('id')])
        .limit(limit);
      return z.array(dueRowSchema).parse(rows);
    },
  };
};
