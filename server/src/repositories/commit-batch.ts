import type { Core } from '@strapi/strapi';

/** Works one shared transaction takes at most (it holds SQLite's one connection while they run). */
const MAX_BATCH = 64;

interface Pending {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite. Each commit there is a set of fsyncs that blocks the process (the
 * rollback journal: several per commit), and one connection serializes every write anyway, so
 * the database works (reads and guarded writes, never a call to Osteocom) that arrive while a
 * batch runs share the next batch's transaction: one commit for all of them. A work's promise
 * settles once its batch committed, so nothing it recorded is sent before it is durable. A batch
 * that fails is undone whole and each of its works runs again alone, as it would unbatched, so
 * one work's failure stays its own. Other databases commit side by side from their pool, and a
 * caller already in a transaction keeps it: there the work runs as it is.
 */
export const createCommitBatcher = (strapi: Core.Strapi) => {
  let queue: Pending[] = [];
  let running = false;

  const runAlone = async (batch: Pending[]) => {
    for (const pending of batch) {
      try {
        pending.resolve(await pending.work());
      } catch (error) {
        pending.reject(error);
      }
    }
  };

  const flush = async () => {
    while (queue.length) {
      // A turn of the event loop first: the answers that arrived meanwhile (a commit blocks the
      // process while it syncs) add their works to this batch.
      await new Promise((resolve) => setImmediate(resolve));
      let batch: Pending[] = [];
      let results: unknown[];
      try {
        results = await strapi.db.transaction(async () => {
          // Taken once the connection is this transaction's: the works that arrived meanwhile join it.
          batch = queue.slice(0, MAX_BATCH);
          queue = queue.slice(MAX_BATCH);
          const done = [];
          for (const pending of batch) done.push(await pending.work());
          return done;
        });
      } catch {
        await runAlone(batch);
        continue;
      }
      batch.forEach((pending, index) => pending.resolve(results[index]));
    }
    running = false;
  };

  return <T>(work: () => Promise<T>): Promise<T> => {
    if (strapi.db.dialect.client !== 'sqlite' || strapi.db.inTransaction()) return work();
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (running) return;
      running = true;
      void flush();
    });
  };
};
