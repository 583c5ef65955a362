/**
 * Issue 26 in a real Chromium: Needs attention explains each row in words (the raw code behind
 * "Details for support"), "Re-send all" re-sends the whole list after a confirmation, and the
 * activity log names the admin who did it. Screenshots go to docs/screenshots.
 * `npm run test:e2e` builds the admin panel first when it is stale (scripts/build-if-needed.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateCatalog } from '../../sandbox/src';
import { ADMIN_PANEL_INDEX } from '../../scripts/build-if-needed';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(180_000);

const PASSWORD = 'Test-Password-123';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const CUSTOMERS = ['ops-refused-1', 'ops-refused-2'];

describe('operations in plain language (Chromium)', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  const screenshot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_PANEL_INDEX)) {
      throw new Error(`No admin build at ${ADMIN_PANEL_INDEX}: run \`npm run test:e2e\`, which builds it.`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog } });
    baseUrl = await app.listen();
    const admin = await createAdmin(app, 'super');
    token = admin.token;
    await app.strapi.db
      .query('admin::user')
      .update({ where: { email: admin.email }, data: { firstname: 'Anna', lastname: 'Rossi' } });
    const sync = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${token}`);
    expect(sync.body.data.status).toBe('succeeded');

    // Osteocom refuses two purchases: both are listed under Needs attention.
    app.sandbox.inject({
      endpoint: 'contentAccessAuthorization',
      status: 403,
      json: { error: 'Product not enabled for this client' },
      times: CUSTOMERS.length,
    });
    for (const userId of CUSTOMERS) {
      const res = await app.http
        .post('/osteocom/authorizations')
        .set('Authorization', `Bearer ${token}`)
        .send({ userId, products: [{ productId: catalog[0].idChannel }] });
      expect(res.status).toBe(502);
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(admin.email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('explains each row of Needs attention in words; the code is in the details', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/overview`);
    const row = page.getByTestId('attention-row').filter({ hasText: CUSTOMERS[0] });
    await row.getByText("This purchase did not go through: the customer can't watch.").waitFor();
    await row.getByText(/Osteocom refused it .* grant another channel or refund\./).waitFor();
    // No raw code or HTTP status in view until the details are opened.
    expect(await row.getByTestId('last-error-code').isVisible()).toBe(false);
    expect(await row.getByTestId('attention-attempts').innerText()).toBe('1');
    await row.getByText('Details for support').click();
    await row.getByText('Code: UPSTREAM_REJECTED').waitFor();
    await row.getByText('1 failed attempt').waitFor();
    await screenshot('operations-needs-attention');
  });

  it('"Re-send all" asks first, then re-sends the whole list and says how it went', async () => {
    await page.getByTestId('resend-all').click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('Re-send everything that needs attention?').waitFor();
    await confirm.getByText('The 2 entitlements listed here are sent to Osteocom again', { exact: false }).waitFor();
    await screenshot('operations-resend-all-confirm');
    await confirm.getByRole('button', { name: 'Confirm' }).click();
    await page
      .getByText('Re-sent 2 entitlements: 2 confirmed, 0 waiting for an automatic retry, 0 refused, 0 skipped, 0 left for another run.')
      .waitFor();
    await page.getByTestId('attention-empty').waitFor();
    for (const userId of CUSTOMERS) expect(app.sandbox.customer(userId)?.activations[catalog[0].idChannel]).toBeDefined();
  });

  it('names the admin in the activity log', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/activity?userId=${CUSTOMERS[1]}`);
    const latest = page.getByTestId('audit-row').first();
    await latest.getByTestId('audit-actor').getByText('Anna Rossi').waitFor();
    const refused = page.getByTestId('audit-row').nth(1);
    await refused.getByTestId('audit-reason').getByText(/^Osteocom refused it/).waitFor();
    await screenshot('operations-activity');
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
