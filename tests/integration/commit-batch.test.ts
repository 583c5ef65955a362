/**
 * Group commit (server/src/repositories/commit-batch.ts): works that arrive together share one
 * transaction on SQLite; a work's promise settles only after its writes are committed; a batch
 * that fails is undone whole and each work runs again alone, so one failure stays its own.
 */
import { createCommitBatcher } from '../../server/src/repositories/commit-batch';
import { startTestApp, type TestApp } from '../helpers/test-app';

const CUSTOMER = 'plugin::osteocom.customer';

describe('group commit', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(() => app.close());

  const stored = async (userIds: string[]) =>
    ((await app.strapi.db.query(CUSTOMER).findMany({ select: ['userId'], where: { userId: { $in: userIds } } })) as { userId: string }[]).map((row) => row.userId).sort();

  it('resolves each work once its write is committed (readable outside the batch), with its own result', async () => {
    const batched = createCommitBatcher(app.strapi);
    const userIds = Array.from({ length: 10 }, (_, index) => `batch-ok-${index}`);
    const results = await Promise.all(
      userIds.map((userId) =>
        batched(async () => {
          await app.strapi.db.query(CUSTOMER).create({ data: { userId } });
          return userId;
        }).then(async (result) => ({ result, visible: (await stored([userId])).length }))
      )
    );
    expect(results).toEqual(userIds.map((userId) => ({ result: userId, visible: 1 })));
  });

  it('a failing work fails alone: the works batched with it resolve and are written; it runs again alone, unbatched, and rejects', async () => {
    const batched = createCommitBatcher(app.strapi);
    const userIds = ['batch-a', 'batch-b', 'batch-c'];
    const outcomes = await Promise.allSettled(
      userIds.map((userId) =>
        batched(async () => {
          await app.strapi.db.query(CUSTOMER).create({ data: { userId } });
          if (userId === 'batch-b') throw new Error('refused after writing');
          return userId;
        })
      )
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The failed batch was undone whole and each work ran again alone: the failing one's write stands as it would unbatched.
    expect(await stored(userIds)).toEqual(['batch-a', 'batch-b', 'batch-c']);
  });

  it('works that arrive in one turn share one transaction on SQLite; elsewhere each runs as it is', async () => {
    const batched = createCommitBatcher(app.strapi);
    const transactions = new Set<unknown>();
    await Promise.all(Array.from({ length: 5 }, () => batched(() => app.strapi.db.transaction(async ({ trx }) => transactions.add(trx)))));
    expect(transactions.size).toBe(app.strapi.db.dialect.client === 'sqlite' ? 1 : 5);
  });
});
