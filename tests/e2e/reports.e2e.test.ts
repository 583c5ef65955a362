/**
 * Issue 26 in a real Chromium: the Reports tab draws its charts (uPlot canvases, each an image
 * labelled with its figures) beside the tables a screen reader reads, the period picker changes
 * the figures, and the table downloads as CSV. The screenshot goes to docs/screenshots/reports.png.
 * `npm run test:e2e` builds the admin panel first when it is stale (scripts/build-if-needed.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateCatalog } from '../../sandbox/src';
import { ADMIN_PANEL_INDEX } from '../../scripts/build-if-needed';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(180_000);

const PASSWORD = 'Test-Password-123';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const catalog = generateCatalog({ channels: 4, videosPerChannel: 1 });
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = Date.UTC(
  new Date().getUTCFullYear(),
  new Date().getUTCMonth(),
  new Date().getUTCDate()
);

/**
 * The last 20 days of a shop: a purchase a day at noon (channels in turn, 10.00–13.00 EUR), every
 * fifth refunded the next morning.
 */
const HISTORY = Array.from({ length: 20 }, (_, i) => i + 1).flatMap((daysAgo) => {
  const channel = catalog[daysAgo % catalog.length].idChannel;
  const customer = `e2e-report-${daysAgo}`;
  const price = 1000 + (daysAgo % 4) * 100;
  const bought = today - daysAgo * DAY + DAY / 2;
  return [
    { daysAgo, kind: 'purchase', delta: 1, at: bought, channel, customer, price },
    ...(daysAgo % 5 === 0
      ? [{ daysAgo, kind: 'refund', delta: -1, at: bought + DAY / 2, channel, customer, price }]
      : []),
  ];
});

describe('the Reports tab (Chromium)', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const chart = (name: RegExp) => page.getByRole('img', { name });
  /** The canvases of the chart so labelled, once it is drawn. */
  const canvases = async (name: RegExp) => {
    await chart(name).locator('canvas').first().waitFor();
    return chart(name).locator('canvas').count();
  };
  /** The rows of the first table: one per bucket of the period. */
  const seriesRows = () => page.locator('table').first().locator('tbody tr');

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_PANEL_INDEX))
      throw new Error(`No admin build at ${ADMIN_PANEL_INDEX}: run \`npm run test:e2e\`.`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog } });
    baseUrl = await app.listen();
    const admin = await createAdmin(app, 'super');
    const sync = await app.http
      .post('/osteocom/sync?wait=true')
      .set('Authorization', `Bearer ${admin.token}`);
    expect(sync.body.data.status).toBe('succeeded');
    await app.strapi.db.connection('osteocom_access_events').insert(
      HISTORY.map((event, i) => ({
        event_key: `e2e:${i}`,
        customer_key: event.customer,
        channel_key: event.channel,
        kind: event.kind,
        delta: event.delta,
        price: event.price,
        at: event.at,
      }))
    );
    // Written directly: the report's tallies filled from them, as an upgraded site's boot does.
    expect(await app.strapi.plugin('osteocom').service('reports').backfillTallies()).toBeGreaterThan(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      viewport: { width: 1440, height: 960 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.getByRole('textbox', { name: /Email/ }).fill(admin.email);
    await page.getByLabel(/Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(
      (url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth')
    );
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('draws the charts beside the tables, follows the period picker and downloads the table as CSV', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/reports`);

    // The last 30 days: 20 purchases, 4 refunds; each chart a canvas inside an image labelled with its figures.
    expect(await canvases(/20 purchases and 4 refunds/)).toBe(1);
    const revenue = HISTORY.filter((e) => e.kind === 'purchase').reduce((s, e) => s + e.price, 0);
    const euros = (cents: number) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(cents / 100);
    await chart(/Chart of revenue/).waitFor();
    await expect(chart(/Chart of revenue/).getAttribute('aria-label')).resolves.toContain(
      euros(revenue)
    );
    expect(await canvases(/16 at the end of the period/)).toBe(1);
    expect(await canvases(/Bar chart of the channels/)).toBe(1);
    // The same figures as a table: a row per day of the period.
    await expect(seriesRows().count()).resolves.toBe(30);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports.png'), fullPage: true });

    // The last 10 days only, by week: fewer purchases, fewer rows.
    await page.getByLabel('From', { exact: true }).fill(isoDay(today - 9 * DAY));
    expect(await canvases(/9 purchases and 2 refunds/)).toBe(1);
    await page.getByRole('combobox', { name: 'Interval' }).click();
    await page.getByRole('option', { name: 'Week' }).click();
    await chart(/over [23] periods: 9 purchases and 2 refunds/).waitFor();
    const weeks = await seriesRows().count();
    expect(weeks).toBeGreaterThanOrEqual(2);
    expect(weeks).toBeLessThanOrEqual(3);

    // The table as CSV: a line per week, then per channel, the currency on the revenue's header.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = fs
      .readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('kind,key,title,purchases,refunds,revenue (EUR),activeEntitlements');
    expect(csv.filter((line) => line.startsWith('period,'))).toHaveLength(weeks);
    const purchases = csv
      .filter((line) => line.startsWith('period,'))
      .reduce((sum, line) => sum + Number(line.split(',')[3]), 0);
    expect(purchases).toBe(9);
    // Every channel, fetched page by page from /reports/channels: the four channels sold in those days.
    expect(csv.filter((line) => line.startsWith('channel,'))).toHaveLength(catalog.length);
    // The channels table, a page at a time.
    await page.getByText(`Page 1 of 1 · ${catalog.length} entries`).waitFor();
    await expect(page.locator('table').nth(1).locator('tbody tr').count()).resolves.toBe(catalog.length);
    expect(pageErrors).toEqual([]);
  });
});
