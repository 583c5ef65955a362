import type { Core } from '@strapi/strapi';
import type { PaginationQuery as Pagination } from '../../../shared/contracts/common';
import { pageWindow } from '../utils/pagination';
import type { SyncStatus, SyncTrigger } from '../../../shared/contracts/sync';

export const SYNC_RUN_UID = 'plugin::osteocom.sync-run';

export type { SyncTrigger };

export interface SyncRunRow {
  id: number;
  trigger: SyncTrigger;
  status: SyncStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  restored: number;
  error: string | null;
  errorCode: string | null;
  server: string | null;
  tick: string | null;
  stats: Record<string, unknown> | null;
}

type RunOutcome = Pick<SyncRunRow, 'status'> & Partial<Pick<SyncRunRow, 'created' | 'updated' | 'unchanged' | 'removed' | 'restored' | 'error' | 'errorCode' | 'stats'>>;

/** The sync's run history: one row per run, written by the server that holds the sync lease. */
export const createSyncRunRepository = (strapi: Core.Strapi) => {
  const query = () => strapi.db.query(SYNC_RUN_UID);

  return {
    create: async (data: Pick<SyncRunRow, 'trigger' | 'server' | 'tick'>) =>
      (await query().create({ data: { ...data, status: 'running', startedAt: new Date() } })) as SyncRunRow,

    /** Records how a run ended, `startedAt` (epoch ms) giving its duration. */
    finish: async (id: number, startedAt: number, outcome: RunOutcome) =>
      (await query().update({ where: { id }, data: { ...outcome, finishedAt: new Date(), durationMs: Date.now() - startedAt } })) as SyncRunRow,

    /** Runs a dead server left "running": closed as abandoned when its lease is taken over. */
    closeAbandoned: () =>
      query().updateMany({
        where: { status: 'running' },
        data: { status: 'failed', errorCode: 'ABANDONED', error: 'The server running this sync stopped before it finished.', finishedAt: new Date() },
      }),

    running: async () => (await query().findOne({ where: { status: 'running' }, orderBy: { id: 'desc' } })) as SyncRunRow | null,

    /** Whether a cron run served this tick already (on any server). */
    servedTick: async (tick: string) => Boolean(await query().findOne({ where: { trigger: 'cron', tick }, select: ['id'] })),

    /** The last run that ended. */
    last: async () => (await query().findOne({ where: { status: { $ne: 'running' } }, orderBy: { id: 'desc' } })) as SyncRunRow | null,

    /** A page of runs, newest first. */
    async page(pagination: Pagination) {
      const [rows, total] = await Promise.all([query().findMany({ orderBy: { id: 'desc' }, ...pageWindow(pagination) }), query().count()]);
      return { rows: rows as SyncRunRow[], total };
    },
  };
};
