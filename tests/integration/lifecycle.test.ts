import { createAdmin } from '../helpers/auth';
import { startTestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

const count = (kind: string) => process.getActiveResourcesInfo().filter((resource) => resource === kind).length;

describe('plugin lifecycle', () => {
  it('leaves no timer or socket open after strapi.destroy(), even after syncing and cron registration', async () => {
    const before = { timers: count('Timeout'), sockets: count('TCPSocketWrap') };
    const app = await startTestApp({ pluginConfig: { sync: { enabled: true, cron: '0 0 1 1 *', onStartup: true, startupDelayMs: 60_000 } } });
    const { token } = await createAdmin(app, 'super');
    const run = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${token}`);
    expect(run.body.data.status).toBe('succeeded');
    expect(app.strapi.cron.jobs.map((job: { name: string | null }) => job.name)).toEqual(
      expect.arrayContaining(['osteocom.catalog-sync', 'osteocom.outbox', 'osteocom.reconcile-schedule'])
    );
    expect(count('Timeout')).toBeGreaterThan(before.timers);
    await app.close();
    // Destroyed sockets release their handles on later turns of the event loop: wait for that state.
    await waitFor('the sockets released', () => count('TCPSocketWrap') <= before.sockets, { timeoutMs: 10_000 });
    await waitFor('the timers cleared', () => count('Timeout') <= before.timers, { timeoutMs: 10_000 });
  });

  it('refuses to start with an invalid config, naming the key', async () => {
    await expect(startTestApp({ pluginConfig: { sync: { chunkSize: 0 } } })).rejects.toThrow(/osteocom[\s\S]*`sync\.chunkSize`/);
  });
});
