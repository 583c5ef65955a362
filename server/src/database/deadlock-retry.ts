import type { Core } from '@strapi/strapi';

/** Runs of a transaction that met a deadlock, the last one's error thrown. */
const ATTEMPTS = 8;

/** PostgreSQL `deadlock_detected`, MySQL/MariaDB `ER_LOCK_DEADLOCK`: the database rolled the whole transaction back. */
const isDeadlock = (error: unknown) => {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return code === '40P01' || code === 'ER_LOCK_DEADLOCK' || errno === 1213;
};

/**
 * Runs a transaction again when the database broke a deadlock by rolling it back: writers that
 * add to shared rows (the report's tallies of a day and of a channel) in different orders can wait
 * on each other in a circle on PostgreSQL and MySQL, and the one rolled back lost nothing but
 * needs running again. Not inside an outer transaction: that one is aborted too, so its owner
 * decides. A short, growing, random pause keeps the two from meeting again.
 */
export const retryDeadlocks = async <T>(strapi: Core.Strapi, what: string, transaction: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!isDeadlock(error) || attempt === ATTEMPTS || strapi.db.inTransaction()) throw error;
      strapi.log.warn(`[osteocom] ${what} met a deadlock and was rolled back; running it again (attempt ${attempt + 1} of ${ATTEMPTS})`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
};
