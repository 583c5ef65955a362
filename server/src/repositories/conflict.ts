/**
 * An insert that tolerates a concurrent insert of the same key: the unique index makes the second
 * insert fail (the error differs per dialect), and the row the other writer made is returned instead.
 */
export const createOrConflict = async <T>(create: () => Promise<unknown>, find: () => Promise<T | null>): Promise<{ created: boolean; row: T | null }> => {
  try {
    await create();
    return { created: true, row: null };
  } catch (error) {
    const row = await find();
    if (!row) throw error;
    return { created: false, row };
  }
};
