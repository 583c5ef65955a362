import type { Core } from '@strapi/strapi';
import { OsteocomError, isOsteocomError } from '../../../errors';
import { createCatalogRepository, type CatalogRepository } from '../../../repositories/catalog-repository';
import { createChannelSiteRepository } from '../../../repositories/channel-site-repository';
import { createSyncRunRepository, type SyncTrigger } from '../../../repositories/sync-run-repository';
import type { PaginationQuery as Pagination } from '../../../../../shared/contracts/common';
import { getService } from '../../../utils/get-service';
import { createInFlight } from '../../../utils/in-flight';
import type { Lease } from '../../platform/lock';
import { SERVER_ID } from '../../platform/lock';
import { createPlanner, removalShare, type CatalogPlan, type Changes, type IndexedRow } from './diff';
import { emitCatalogSynced, emitChannelChanges, type ChangedIds } from '../../platform/events';
import { createEntryEvents } from './entry-events';
import { paginate } from '../../../utils/pagination';
import type { SyncCounts } from '../../../../../shared/contracts/sync';
import { sqliteWaitMs } from '../../../database/sqlite-busy-timeout';

const LEASE = 'catalog-sync';
const RUN_ROW_POLLS = 10;
const RUN_ROW_POLL_MS = 50;

const countsOf = (changes: Changes<unknown>): SyncCounts => ({
  created: changes.create.length,
  updated: changes.update.length,
  unchanged: changes.unchanged,
  removed: changes.remove.length,
  restored: changes.restore.length,
});

const sum = (a: SyncCounts, b: SyncCounts): SyncCounts => ({
  created: a.created + b.created,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
  removed: a.removed + b.removed,
  restored: a.restored + b.restored,
});

/** Ids listed per kind of change in `osteocom.catalog.synced`; the counts give the totals. */
const MAX_CHANGED_IDS = 1000;

/** The upstream ids of what a plan changes; removals are row ids in the plan, named from the index. */
const changedIds = <T>(changes: Changes<T>, keyOf: (data: T) => string, keysByRowId: Map<number, string>): ChangedIds => ({
  created: changes.create.map(keyOf),
  updated: changes.update.map((item) => keyOf(item.data)),
  restored: changes.restore.map((item) => keyOf(item.data)),
  removed: changes.remove.map((id) => keysByRowId.get(id) ?? String(id)),
});

const capped = (ids: ChangedIds): ChangedIds => ({
  created: ids.created.slice(0, MAX_CHANGED_IDS),
  updated: ids.updated.slice(0, MAX_CHANGED_IDS),
  removed: ids.removed.slice(0, MAX_CHANGED_IDS),
  restored: ids.restored.slice(0, MAX_CHANGED_IDS),
});

const keysOfRemoved = (index: IndexedRow[], removed: number[]) => {
  const wanted = new Set(removed);
  return new Map(index.filter((row) => wanted.has(row.id)).map((row) => [row.id, row.key]));
};

/** `name value` pairs for a log message (Strapi's default format prints the message only). */
const figures = (values: Record<string, unknown>) =>
  Object.entries(values)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');

const errorFields = (error: unknown) => ({
  errorCode: isOsteocomError(error) ? error.code : 'INTERNAL_ERROR',
  error: isOsteocomError(error) ? error.message : 'The sync failed unexpectedly; see the server log.',
});

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const runs = createSyncRunRepository(strapi);
  const config = () => strapi.plugin('osteocom').config('sync') as { chunkSize: number; leaseSeconds: number; maxRemovalRatio: number };

  /** The runs started here: on shutdown they stop writing and get a moment to notice. */
  const inFlight = createInFlight();

  const assertHeld = (lease: Lease) => {
    if (inFlight.stopping) throw new OsteocomError('UPSTREAM_UNAVAILABLE', 'The server is shutting down; this run stopped.');
    if (lease.lost) throw new OsteocomError('SYNC_ALREADY_RUNNING', 'Another server took over the sync lease; this run stopped.');
  };

  const isEmpty = ({ channels, videos }: CatalogPlan) =>
    [channels, videos].every((c) => !c.create.length && !c.update.length && !c.restore.length && !c.remove.length);

  /**
   * Every write of a run in one transaction, so a sync lands whole or not at all; statements
   * carry `chunkSize` rows each. The lease is renewed inside it as its last write: a server that
   * lost the lease meanwhile rolls back instead of committing over the new holder's work.
   */
  const apply = async (repo: CatalogRepository, plan: CatalogPlan, channelIndex: IndexedRow[], lease: Lease) => {
    if (isEmpty(plan)) return;
    const size = config().chunkSize;
    const now = new Date();
    const { channels, videos } = plan;
    const started = Date.now();
    await repo.transaction(async (trx) => {
      assertHeld(lease);
      const channelIds = new Map(channelIndex.map((row) => [row.key, row.id]));
      const inserted = await repo.insertChannels(trx, channels.create, now, size);
      for (const [key, id] of inserted) channelIds.set(key, id);
      // New channels get the site's defaults: listed, not featured, a unique slug from the title.
      const created = channels.create.map((channel) => ({ id: inserted.get(channel.idChannel) as number, title: channel.title }));
      if (created.length) await createChannelSiteRepository(strapi).fillInserted(trx, created);
      await repo.updateChannels(trx, [...channels.update, ...channels.restore], now, size);
      assertHeld(lease);
      await repo.insertVideos(trx, videos.create, channelIds, now, size);
      assertHeld(lease);
      await repo.updateVideos(trx, [...videos.update, ...videos.restore], channelIds, now, size);
      await repo.markRemoved(trx, 'video', videos.remove, now, size);
      await repo.markRemoved(trx, 'channel', channels.remove, now, size);
      await lease.confirm(trx);
      assertHeld(lease);
    });
    reportLockHold(Date.now() - started);
  };

  /**
   * On SQLite the transaction held the one write lock: every other write (a purchase) waited up
   * to that long, and fails past the wait bound. Said before a larger catalog gets there.
   */
  const reportLockHold = (heldMs: number) => {
    if (strapi.db.dialect.client !== 'sqlite') return;
    const boundMs = sqliteWaitMs(strapi);
    const message = `[osteocom] catalog sync held the SQLite write lock for ${heldMs} ms (other writes wait up to ${boundMs} ms)`;
    if (heldMs * 2 > boundMs) strapi.log.warn(`${message}: more than half the bound; raise sync.sqliteBusyTimeoutMs and the pool's acquireConnectionTimeout, or use PostgreSQL or MySQL`);
    else strapi.log.info(message);
  };

  /** Reads the mirror's index, then plans channel by channel as the catalog arrives. */
  const fetchPlan = async (repo: CatalogRepository) => {
    const started = Date.now();
    const [channelIndex, videoIndex] = [await repo.channelIndex(), await repo.videoIndex()];
    const indexed = Date.now();
    const plan = await getService(strapi, 'osteocom-client').streamCatalog(() => createPlanner(channelIndex, videoIndex));
    const available = channelIndex.filter((c) => c.status === 'available').length;
    const timings = { indexMs: indexed - started, fetchMs: Date.now() - indexed };
    const removedKeys = { channels: keysOfRemoved(channelIndex, plan.channels.remove), videos: keysOfRemoved(videoIndex, plan.videos.remove) };
    return { plan, channelIndex, share: removalShare(plan, channelIndex), available, timings, removedKeys };
  };

  const suspectMessage = (removing: number, available: number, share: number) =>
    `The catalog would remove ${removing} of ${available} channels (${Math.round(share * 100)}%, more than the ${Math.round(config().maxRemovalRatio * 100)}% allowed): refused as suspect, nothing was written.`;

  /** One event per channel, once the run's transaction has committed. */
  const announceChannels = ({ channels }: CatalogPlan, removedKeys: Map<number, string>) => {
    emitChannelChanges(strapi, 'created', channels.create.map((data) => data.idChannel));
    emitChannelChanges(strapi, 'updated', channels.update.map((item) => item.data.idChannel));
    emitChannelChanges(strapi, 'restored', channels.restore.map((item) => item.data.idChannel));
    emitChannelChanges(strapi, 'removed', channels.remove.map((id) => removedKeys.get(id) ?? String(id)));
  };

  /** Strapi's `entry.*` events for the changed rows; the run is committed, so a failure here is only logged. */
  const announceEntries = async (runId: number, plan: CatalogPlan) => {
    const started = Date.now();
    try {
      const { channels, videos } = await createEntryEvents(strapi, () => inFlight.stopping).announce(plan, config().chunkSize);
      const total = channels.created + channels.updated + videos.created + videos.updated;
      if (!total) return;
      strapi.log.info(
        `[osteocom] catalog sync ${runId} emitted ${total} entry events in ${Date.now() - started} ms: channels ${channels.created} created, ${channels.updated} updated; videos ${videos.created} created, ${videos.updated} updated`
      );
    } catch (error) {
      strapi.log.error(`[osteocom] catalog sync ${runId} could not emit its entry events: ${(error as Error).message}`);
    }
  };

  const announce = (runId: number, trigger: SyncTrigger, plan: CatalogPlan, removedKeys: { channels: Map<number, string>; videos: Map<number, string> }) =>
    emitCatalogSynced(strapi, {
      runId,
      trigger,
      counts: { channels: countsOf(plan.channels), videos: countsOf(plan.videos) },
      changed: {
        channels: capped(changedIds(plan.channels, (data) => data.idChannel, removedKeys.channels)),
        videos: capped(changedIds(plan.videos, (data) => data.videoId, removedKeys.videos)),
      },
    });

  const execute = async (runId: number, trigger: SyncTrigger, lease: Lease) => {
    const startedAt = Date.now();
    try {
      const repo = createCatalogRepository(strapi);
      const { plan, channelIndex, share, available, timings: phases, removedKeys } = await fetchPlan(repo);
      const plannedMs = Date.now() - startedAt;
      if (share > config().maxRemovalRatio) {
        strapi.log.warn(`[osteocom] catalog sync ${runId} refused as suspect: it would remove ${plan.channels.remove.length} of ${available} channels`);
        const error = suspectMessage(plan.channels.remove.length, available, share);
        return await runs.finish(runId, startedAt, { status: 'refused', errorCode: 'SUSPECT_CATALOG', error });
      }
      await apply(repo, plan, channelIndex, lease);
      announceChannels(plan, removedKeys.channels);
      const counts = sum(countsOf(plan.channels), countsOf(plan.videos));
      const timings = { ...phases, writeMs: Date.now() - startedAt - plannedMs };
      strapi.log.info(`[osteocom] catalog sync ${runId} finished: ${figures({ ...counts, ...timings })}`);
      const stats = { channels: countsOf(plan.channels), videos: countsOf(plan.videos), ...timings };
      const finished = await runs.finish(runId, startedAt, { status: 'succeeded', ...counts, stats });
      announce(runId, trigger, plan, removedKeys);
      // After the run is recorded: its duration is the sync's, not the announcement's (3 s for 8,000 rows).
      await announceEntries(runId, plan);
      return finished;
    } catch (error) {
      // On shutdown the run is left to the next lease holder, which closes it as abandoned.
      if (inFlight.stopping) return undefined;
      strapi.log.error(`[osteocom] catalog sync ${runId} failed: ${figures(errorFields(error))}`);
      return await runs.finish(runId, startedAt, { status: 'failed', ...errorFields(error) });
    } finally {
      if (!inFlight.stopping) await lease.release();
    }
  };

  /**
   * The lease holder writes its run row just after taking the lease: a caller refused in that
   * instant waits briefly for it, so the 409 names the run. A lease whose holder died has none.
   */
  const runningId = async (): Promise<number | null> => {
    for (let attempt = 0; attempt < RUN_ROW_POLLS; attempt += 1) {
      const current = await runs.running();
      if (current) return current.id;
      await new Promise((resolve) => setTimeout(resolve, RUN_ROW_POLL_MS));
    }
    return null;
  };

  /** The cluster lease, or SYNC_ALREADY_RUNNING with the id of the run going on anywhere. */
  const takeLease = async () => {
    const lease = await getService(strapi, 'lock').acquire(LEASE, config().leaseSeconds);
    if (lease) return lease;
    throw new OsteocomError('SYNC_ALREADY_RUNNING', 'A catalog sync is already running.', { details: { runId: await runningId() } });
  };

  /**
   * What a lease holder does before `execute` takes the lease over (and releases it when done): on
   * a failure here the lease is released, or it would renew itself and refuse every sync until a restart.
   */
  const beforeRun = async <T>(lease: Lease, work: () => Promise<T>) => {
    try {
      return await work();
    } catch (error) {
      await lease.release();
      throw error;
    }
  };

  /** Writes the run row under the lease and runs it; `wait` resolves with the finished run. */
  const launch = async (lease: Lease, trigger: SyncTrigger, options: { wait?: boolean; tick?: string }) => {
    const run = await beforeRun(lease, async () => {
      await runs.closeAbandoned();
      return runs.create({ trigger, server: SERVER_ID, tick: options.tick ?? null });
    });
    const done = execute(run.id, trigger, lease);
    inFlight.track(done);
    return options.wait ? done : run;
  };

  /** For cron and startup: "already running elsewhere" is the expected outcome, not an error. */
  const inBackground = async (trigger: SyncTrigger, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      if (isOsteocomError(error) && error.code === 'SYNC_ALREADY_RUNNING') return;
      const { errorCode, error: message } = errorFields(error);
      strapi.log.error(`[osteocom] catalog sync could not start (trigger ${trigger}): errorCode ${errorCode}, error ${message}`);
    }
  };

  return {
    /**
     * Takes the cluster lease and starts a run; `wait` resolves with the finished run.
     * A run already going on anywhere answers SYNC_ALREADY_RUNNING with its id.
     */
    start: async (trigger: SyncTrigger, options: { wait?: boolean } = {}) => launch(await takeLease(), trigger, options),

    /** The startup sync: skipped when one is already running anywhere. */
    runInBackground: (trigger: SyncTrigger) =>
      inBackground(trigger, async () => launch(await takeLease(), trigger, { wait: true })),

    /**
     * A cron tick fires on every server, at moments that differ by timer jitter, clock skew and
     * load: a sync can end, and free the lease, before a late server's firing of the same tick.
     * The run records the tick it serves (its scheduled time, the same on every server); a late
     * firing finds it, looked up again under the lease (the server that served it may have
     * released the lease since the first look), and does nothing.
     */
    async runScheduled(scheduledAt: Date) {
      const tick = scheduledAt.toISOString();
      if (await runs.servedTick(tick)) return;
      await inBackground('cron', async () => {
        const lease = await takeLease();
        if (await beforeRun(lease, () => runs.servedTick(tick))) return lease.release();
        return launch(lease, 'cron', { wait: true, tick });
      });
    },

    async listRuns(pagination: Pagination) {
      const { rows, total } = await runs.page(pagination);
      return { results: rows, pagination: paginate(pagination, total) };
    },

    lastRun: () => runs.last(),

    /** On shutdown: stop writing, wait briefly for the run to notice, let the lease expire. */
    shutdown: (graceMs: number) => inFlight.shutdown(graceMs),
  };
};
