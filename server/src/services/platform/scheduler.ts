import type { Core } from '@strapi/strapi';
import { getService } from '../../utils/get-service';

export const SYNC_JOB = 'osteocom.catalog-sync';
export const OUTBOX_JOB = 'osteocom.outbox';
export const RECONCILE_JOB = 'osteocom.reconcile-schedule';
export const REMINDERS_JOB = 'osteocom.reminders';

/** How often each server re-reads the stored schedule, so a change made on one reaches all. */
const RECONCILE_RULE = '*/30 * * * * *';

interface Schedule {
  rule: string;
  tz: string;
}

interface CronHandle {
  name: string | null;
  /** Strapi's handle on a croner job: croner's own methods pass through. */
  job: { nextInvocation(): Date | null; previousRuns?(count: number, reference: Date): Date[] };
}

/**
 * Owns the plugin's cron jobs on this server. Every server runs every job (Strapi cron is
 * per process); the jobs themselves take the cluster lease, so only one does the work.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let current: Schedule | null = null;
  let startupTimer: NodeJS.Timeout | undefined;

  const findJob = (name: string) => (strapi.cron.jobs as unknown as CronHandle[]).find((job) => job.name === name);

  const register = (name: string, options: Schedule, task: (context: unknown, ...args: unknown[]) => Promise<void>) => {
    strapi.cron.add({ [name]: { task, options: { rule: options.rule, tz: options.tz } } });
    if (!findJob(name)) strapi.log.error(`[osteocom] invalid cron rule "${options.rule}"; job ${name} not scheduled`);
  };

  /**
   * The tick a firing of the sync job serves: the rule's latest time at or before now, the same on
   * every server. Not the date Strapi hands the task (`counted`): Strapi 5.54 counts it on from the
   * job's previous firing, so once croner passes over an occurrence on a busy server, every later
   * firing there names an older tick (seen with two loaded servers: the sync begun at 17:27:05
   * named 17:27:00). That date stays the floor, and the answer when croner cannot say (its
   * previousRuns throws for a rule such as `0 0 29 2 *` away from February 29).
   */
  const tickNow = (counted: unknown) => {
    const floor = counted instanceof Date ? counted : new Date(Math.floor(Date.now() / 1_000) * 1_000);
    try {
      // previousRuns leaves out the current second: 1.5 s takes it in and absorbs a timer fired early.
      const [latest] = findJob(SYNC_JOB)?.job.previousRuns?.(1, new Date(Date.now() + 1_500)) ?? [];
      return latest && latest > floor ? latest : floor;
    } catch {
      return floor;
    }
  };

  const reconcile = async () => {
    const { values } = await getService(strapi, 'settings').get({ fresh: true });
    const wanted = values.syncEnabled ? { rule: values.syncCron, tz: values.syncTz } : null;
    if (JSON.stringify(wanted) === JSON.stringify(current)) return;
    strapi.cron.remove(SYNC_JOB);
    current = wanted;
    if (wanted) register(SYNC_JOB, wanted, (_context, counted) => getService(strapi, 'catalog-sync').runScheduled(tickNow(counted)));
    strapi.log.info(`[osteocom] sync schedule applied: ${wanted ? `"${wanted.rule}" in ${wanted.tz}` : 'off'}`);
  };

  const safely = (what: string, task: () => Promise<unknown>) => async () => {
    try {
      await task();
    } catch (error) {
      strapi.log.error(`[osteocom] ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  /** The outbox and the sync schedule are cron jobs: an operator who turned Strapi's cron off must know what that means here. */
  const warnIfCronDisabled = () => {
    if (strapi.config.get<boolean>('server.cron.enabled', true)) return;
    strapi.log.warn(
      "[osteocom] server.cron.enabled is false on this server, but the plugin's outbox (it retries the purchases and refunds Osteocom has not confirmed yet) and its catalog sync schedule are Strapi cron jobs: Strapi 5.54 still runs the jobs plugins add, so they run here anyway; a Strapi version that honours the setting stops them, and then nothing sold during an outage reaches Osteocom unless another server runs cron."
    );
  };

  return {
    async start() {
      warnIfCronDisabled();
      await reconcile();
      register(RECONCILE_JOB, { rule: RECONCILE_RULE, tz: 'UTC' }, safely('schedule reconcile', reconcile));
      const outbox = strapi.plugin('osteocom').config('outbox') as { cron: string };
      register(OUTBOX_JOB, { rule: outbox.cron, tz: 'UTC' }, safely('outbox', () => getService(strapi, 'outbox').runOnce()));
      // Not under a lease: every server runs it, and a claim per access keeps each reminder to one.
      const reminders = strapi.plugin('osteocom').config('reminders') as { cron: string };
      register(REMINDERS_JOB, { rule: reminders.cron, tz: 'UTC' }, safely('reminder pass', () => getService(strapi, 'reminders').runOnce()));
      const sync = strapi.plugin('osteocom').config('sync') as { onStartup: boolean; startupDelayMs: number };
      if (!sync.onStartup) return;
      startupTimer = setTimeout(() => void getService(strapi, 'catalog-sync').runInBackground('startup'), sync.startupDelayMs);
      startupTimer.unref();
    },

    reconcile,

    nextSyncAt(): Date | null {
      return findJob(SYNC_JOB)?.job.nextInvocation() ?? null;
    },

    stop() {
      clearTimeout(startupTimer);
      for (const name of [SYNC_JOB, OUTBOX_JOB, RECONCILE_JOB, REMINDERS_JOB]) strapi.cron.remove(name);
      current = null;
    },
  };
};
