/**
 * Issue "Production money path", finding 8: the outbox and the sync schedule are Strapi cron jobs,
 * so a server started with `server.cron.enabled: false` says at start what that means for them.
 */
import { captureLogs } from '../helpers/capture';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe('Strapi cron turned off', () => {
  let app: TestApp;
  let logs: ReturnType<typeof captureLogs>;

  beforeAll(async () => {
    app = await startTestApp({
      beforeLoad: (strapi) => {
        strapi.config.set('server.cron.enabled', false);
        logs = captureLogs(strapi.log);
      },
    });
  });
  afterAll(async () => {
    logs?.restore();
    await app?.close();
  });

  it('warns once at start, naming the setting and the reason', () => {
    const warnings = logs.lines.filter((line) => line.level === 'warn' && line.text.includes('server.cron.enabled is false'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].text).toMatch(/outbox \(it retries the purchases and refunds Osteocom has not confirmed yet\)/);
  });
});
