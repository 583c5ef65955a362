import type { Core, UID } from '@strapi/strapi';
import { sanitize } from '@strapi/utils';
import { CHANNEL_UID } from '../../../repositories/channel-repository';
import { VIDEO_UID } from '../../../repositories/video-repository';
import type { CatalogPlan, Changes } from './diff';

type EntryEvent = 'entry.create' | 'entry.update';
type Row = Parameters<typeof sanitize.sanitizers.defaultSanitizeOutput>[1];

interface Kind<T> {
  uid: UID.ContentType;
  /** The upstream key column: created rows are found by it (the plan knows no row id for them). */
  keyField: string;
  keyOf: (data: T) => string;
}

const CHANNEL: Kind<CatalogPlan['channels']['create'][number]> = { uid: CHANNEL_UID, keyField: 'idChannel', keyOf: (data) => data.idChannel };
const VIDEO: Kind<CatalogPlan['videos']['create'][number]> = { uid: VIDEO_UID, keyField: 'videoId', keyOf: (data) => data.videoId };

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

/** Lets the requests queued meanwhile run between two chunks of a large announcement. */
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Strapi's standard `entry.create` / `entry.update` for what a sync changed, so a site's existing
 * cache revalidation webhook (Next.js, Gatsby) sees catalog changes: the sync writes with knex,
 * which fires none. The payload is the document service's own, `{ model, uid, entry }` with the
 * entry sanitized as its output (private fields out), relations not populated. A removal is an
 * update (`availability: removed`): the sync never deletes a row. Only changed rows are announced;
 * rows are read `size` at a time and Strapi's webhook runner queues the deliveries.
 */
export const createEntryEvents = (strapi: Core.Strapi, stopping: () => boolean) => {
  const emitRows = async (uid: UID.ContentType, event: EntryEvent, rows: Row[]) => {
    const model = strapi.getModel(uid);
    for (const row of rows) {
      const entry = await sanitize.sanitizers.defaultSanitizeOutput({ schema: model, getModel: (u) => strapi.getModel(u as UID.Schema) }, row);
      await strapi.eventHub.emit(event, { model: model.modelName, uid: model.uid, entry });
    }
  };

  /** Resolves with the number of events emitted. */
  const emitWhere = async (uid: UID.ContentType, event: EntryEvent, field: string, values: (string | number)[], size: number) => {
    let emitted = 0;
    for (const part of chunks(values, size)) {
      // On shutdown the database goes away: the rest of the announcement is dropped.
      if (stopping()) break;
      const rows = await strapi.db.query(uid).findMany({ where: { [field]: { $in: part } }, orderBy: { id: 'asc' } });
      await emitRows(uid, event, rows);
      emitted += rows.length;
      await yieldToLoop();
    }
    return emitted;
  };

  const announceKind = async <T>(kind: Kind<T>, changes: Changes<T>, size: number) => {
    const updatedIds = [...changes.update, ...changes.restore].map((item) => item.id).concat(changes.remove);
    const created = await emitWhere(kind.uid, 'entry.create', kind.keyField, changes.create.map(kind.keyOf), size);
    const updated = await emitWhere(kind.uid, 'entry.update', 'id', updatedIds, size);
    return { created, updated };
  };

  return {
    /** After the run's transaction committed; resolves with the number of events emitted per type. */
    async announce(plan: CatalogPlan, size: number) {
      const channels = await announceKind(CHANNEL, plan.channels, size);
      const videos = await announceKind(VIDEO, plan.videos, size);
      return { channels, videos };
    },
  };
};
