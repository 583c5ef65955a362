/**
 * Issue 26, an import you can trust, in Chromium: the dry run catches a bad email before Apply
 * (the old one said "ready" and Apply refused it), a channel named by its title, the rows refused
 * after Apply listed on the page by line with the reason, the template download, the styled picker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const PASSWORD = 'Test-Password-123';
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const [first, second] = catalog.map((channel) => channel.idChannel);

const launchChromium = () =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

describe('Import page: a dry run you can trust (Chromium)', () => {
  const errors: string[] = [];
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let dir: string;

  const signIn = async (email: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
    return { context, page };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osteocom-import-e2e-'));
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog } });
    baseUrl = await app.listen();
    browser = await launchChromium();
    const admin = await createAdmin(app, 'super');
    expect((await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${admin.token}`)).body.data.status).toBe('succeeded');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('catches a bad email before Apply, takes a channel by title, and lists the rows refused after Apply by line', async () => {
    const admin = await createAdmin(app, 'super');
    const { context, page } = await signIn(admin.email);
    try {
      const file = path.join(dir, 'members.csv');
      fs.writeFileSync(
        file,
        [
          'userId,email,name,surname,marketingConsent,productId,price,accessUntil', // 1
          `imp-good,ann@example.com,Ann,,,${first},,`, // 2 ready
          `imp-bad-email,not-an-email,Bob,,,${first},,`, // 3 INVALID_EMAIL, caught by the dry run
          `imp-by-title,cy@example.com,Cy,,,"${catalog[1].title}",,`, // 4 ready: the channel by its title
          `imp-upstream,dee@example.com,Dee,,,${first},,`, // 5 ready, then refused by Osteocom
        ].join('\n'),
        'utf8'
      );
      await page.goto(`${baseUrl}/admin/plugins/osteocom/import`);
      await page.getByRole('button', { name: 'Choose a CSV file' }).waitFor();
      await page.getByLabel('CSV file').setInputFiles(file);

      await page.getByTestId('import-summary').filter({ hasText: '4 rows: 3 ready, 1 with problems (not sent).' }).waitFor();
      await expect(page.getByTestId('import-problem').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^3\s+email\s+is not a valid email address/)]);
      // The dry run wrote nothing and called nobody.
      expect(app.sandbox.count('contentAccessAuthorization')).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-dry-run-bad-email.png'), fullPage: true });

      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 400, json: { error: 'refused' }, match: { userId: 'imp-upstream' } });
      await page.getByRole('button', { name: 'Apply 3 rows' }).click();
      await page.getByTestId('import-outcomes').filter({ hasText: /2 active/ }).waitFor();
      const refused = await page.getByTestId('import-refused').allInnerTexts();
      expect(refused).toEqual([
        expect.stringMatching(/^3\s+imp-bad-email\s+.*INVALID_EMAIL\s+email: is not a valid email address/s),
        expect.stringMatching(/^5\s+imp-upstream\s+.*UPSTREAM_REJECTED/s),
      ]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-refused-rows.png'), fullPage: true });
      const stored = await app.strapi.db.connection('osteocom_entitlements').whereIn('customer_key', ['imp-good', 'imp-by-title']).select('customer_key', 'channel_key', 'status').orderBy('customer_key');
      expect(stored).toEqual([
        { customer_key: 'imp-by-title', channel_key: second, status: 'active' },
        { customer_key: 'imp-good', channel_key: first, status: 'active' },
      ]);
    } finally {
      await context.close();
    }
  });

  it('downloads the template: the import columns and an example row', async () => {
    const admin = await createAdmin(app, 'super');
    const { context, page } = await signIn(admin.email);
    try {
      await page.goto(`${baseUrl}/admin/plugins/osteocom/import`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the template' }).click()]);
      expect(download.suggestedFilename()).toBe('osteocom-import-template.csv');
      const lines = fs.readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
      expect(lines[0]).toBe('userId,email,name,surname,marketingConsent,productId,price,accessUntil');
      expect(lines).toHaveLength(2);
    } finally {
      await context.close();
    }
  });

  it('raised no uncaught errors in the pages', () => {
    expect(errors).toEqual([]);
  });
});
