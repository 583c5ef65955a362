/**
 * Issue 26 in a real Chromium: the Customers page's member list (search by full name, status and
 * channel filters kept in the URL, sort by access end, "Download CSV" of what is shown, bulk
 * extension naming the site's time zone) and Pause / Resume on the customer page, checked at the
 * Osteocom sandbox. Screenshots go to docs/screenshots.
 * `npm run test:e2e` builds the admin panel first when it is stale (scripts/build-if-needed.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { generateCatalog } from '../../sandbox/src';
import { ADMIN_PANEL_INDEX } from '../../scripts/build-if-needed';
import { createAdmin } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(180_000);

const PASSWORD = 'Test-Password-123';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const ZONE = 'Europe/Rome';
const DAY = 86_400_000;
const catalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
const [CHANNEL_A, CHANNEL_B, CHANNEL_C] = catalog;

/** Who is seeded: one purchase each (a later end for some), Paolo's refunded. */
const MEMBERS = [
  { userId: 'ml-luca', name: 'Luca', surname: 'Bianchi', channel: CHANNEL_A, days: 60 },
  { userId: 'ml-maria', name: 'Maria', surname: 'Rossi', channel: CHANNEL_A, days: 30 },
  { userId: 'ml-giulia', name: 'Giulia', surname: 'Verdi', channel: CHANNEL_B, days: 90 },
  { userId: 'ml-paolo', name: 'Paolo', surname: 'Neri', channel: CHANNEL_A, days: 45 },
  { userId: 'ml-marco', name: 'Luca', surname: 'Verdi', channel: CHANNEL_B, days: undefined },
] as const;
const PAUSED_CUSTOMER = 'ml-pause-1';

describe('member list and pause/resume (Chromium)', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  // Animations finished: a dialog or toast caught mid-fade would be half transparent.
  const screenshot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  const rows = () => page.getByTestId('member-row');
  /** The user ids the list shows, top to bottom. */
  const shownUserIds = async () =>
    // The customer cell: the name (a link), the user id under it.
    (await rows().locator('td:nth-child(2)').allInnerTexts()).map(
      (text) => /(ml-[\w-]+)\s*$/.exec(text)?.[1] ?? text
    );
  /** Waits until the list shows exactly these user ids (in this order when `ordered`). */
  const expectShown = async (userIds: string[], ordered = false) => {
    const want = ordered ? userIds : [...userIds].sort();
    await waitFor(`the list to show ${want.join(', ')}`, async () => {
      const got = await shownUserIds();
      return JSON.stringify(ordered ? got : got.sort()) === JSON.stringify(want);
    }, { timeoutMs: 30_000 });
  };
  const filters = () => page.getByTestId('member-filters');
  const pick = async (combobox: string, option: string) => {
    await filters().getByRole('combobox', { name: combobox }).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const accessEnd = (row: Locator) => row.locator('td:nth-child(6) time').getAttribute('datetime');
  const members = async (filter: Record<string, unknown>) =>
    (
      await app.http
        .post('/osteocom/members/search')
        .set('Authorization', `Bearer ${token}`)
        .send(filter)
    ).body.data as { userId: string; channelId: string; accessUntil: string | null; status: string }[];

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_PANEL_INDEX)) {
      throw new Error(`No admin build at ${ADMIN_PANEL_INDEX}: run \`npm run test:e2e\`, which builds it.`);
    }
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog }, pluginConfig: { sync: { tz: ZONE } } });
    baseUrl = await app.listen();
    const admin = await createAdmin(app, 'super');
    token = admin.token;
    const sync = await app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${token}`);
    expect(sync.body.data.status).toBe('succeeded');

    // Purchases through the admin authorize route, as the shop's own would arrive.
    for (const member of MEMBERS) {
      const res = await app.http
        .post('/osteocom/authorizations')
        .set('Authorization', `Bearer ${token}`)
        .send({
          userId: member.userId,
          email: `${member.userId}@example.com`,
          name: member.name,
          surname: member.surname,
          products: [
            {
              productId: member.channel.idChannel,
              ...(member.days ? { accessUntil: new Date(Date.now() + member.days * DAY).toISOString() } : {}),
            },
          ],
        });
      expect([res.status, res.body.data.state]).toEqual([200, 'active']);
    }
    const refund = await app.http
      .post('/osteocom/revocations')
      .set('Authorization', `Bearer ${token}`)
      .send({ userId: 'ml-paolo', channelId: CHANNEL_A.idChannel, reason: 'refund' });
    expect(refund.status).toBe(200);
    const paused = await app.http
      .post('/osteocom/authorizations')
      .set('Authorization', `Bearer ${token}`)
      .send({ userId: PAUSED_CUSTOMER, products: [{ productId: CHANNEL_C.idChannel }] });
    expect(paused.status).toBe(200);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({
      viewport: { width: 1440, height: 960 },
      locale: 'en-US',
      timezoneId: 'UTC',
      acceptDownloads: true,
    });
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

  it('finds a customer by full name; the search is in the URL', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers`);
    await expectShown(['ml-giulia', 'ml-luca', 'ml-marco', 'ml-maria', 'ml-paolo', PAUSED_CUSTOMER]);
    await page.getByPlaceholder('Search customers by userId, email or name').fill('Luca Bianchi');
    // "Luca Verdi" stays out: every word must match.
    await expectShown(['ml-luca']);
    await rows().filter({ hasText: 'Luca Bianchi' }).waitFor();
    await page.waitForURL((url) => url.searchParams.get('q') === 'Luca Bianchi');
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await page.waitForURL((url) => !url.searchParams.has('q'));
    await expectShown(['ml-giulia', 'ml-luca', 'ml-marco', 'ml-maria', 'ml-paolo', PAUSED_CUSTOMER]);
  });

  it('filters by status and by channel; the URL holds the filter and a reload keeps it', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers`);
    await pick('Status', 'Revoked');
    await page.waitForURL((url) => url.searchParams.get('status') === 'revoked');
    await expectShown(['ml-paolo']);
    await rows().filter({ hasText: 'ml-paolo' }).getByText('Refund', { exact: true }).waitFor();
    await page.reload();
    await expectShown(['ml-paolo']);
    await filters().getByRole('combobox', { name: 'Status' }).filter({ hasText: 'Revoked' }).waitFor();

    await pick('Status', 'Any status');
    await page.waitForURL((url) => !url.searchParams.has('status'));
    await pick('Channel', CHANNEL_A.title);
    await page.waitForURL((url) => url.searchParams.get('channel') === CHANNEL_A.idChannel);
    await expectShown(['ml-luca', 'ml-maria', 'ml-paolo']);
    await page.reload();
    await expectShown(['ml-luca', 'ml-maria', 'ml-paolo']);
    await filters().getByRole('combobox', { name: 'Channel' }).filter({ hasText: CHANNEL_A.title }).waitFor();

    // A link with both filters opens the list filtered.
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers?channel=${CHANNEL_A.idChannel}&status=active`);
    await expectShown(['ml-luca', 'ml-maria']);
  });

  it('sorts by access end, soonest first and latest first', async () => {
    await pick('Sort', 'Access end, soonest first');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'accessEnd' && url.searchParams.get('order') === 'asc');
    await expectShown(['ml-maria', 'ml-luca'], true);
    await pick('Sort', 'Access end, latest first');
    await page.waitForURL((url) => url.searchParams.get('order') === 'desc');
    await expectShown(['ml-luca', 'ml-maria'], true);
    // Every status and channel: accesses for good (Marco) come last.
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers?sort=accessEnd&order=asc&status=active`);
    const order = await waitFor('the sorted list', async () => {
      const ids = await shownUserIds();
      return ids.length === 5 ? ids : undefined;
    });
    expect(order.slice(0, 3)).toEqual(['ml-maria', 'ml-luca', 'ml-giulia']);
    expect([...order.slice(3)].sort()).toEqual([PAUSED_CUSTOMER, 'ml-marco'].sort());
  });

  it('"Download CSV" writes the rows the filter shows', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers?channel=${CHANNEL_A.idChannel}&status=active`);
    await expectShown(['ml-luca', 'ml-maria']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^osteocom-members-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((row) => row.userId).sort()).toEqual(['ml-luca', 'ml-maria']);
    for (const row of parsed.data) {
      expect(row.productId).toBe(CHANNEL_A.idChannel);
      expect(row.status).toBe('active');
    }
    const luca = parsed.data.find((row) => row.userId === 'ml-luca')!;
    expect([luca.name, luca.surname, luca.email]).toEqual(['Luca', 'Bianchi', 'ml-luca@example.com']);
  });

  it('extends the selected rows by a month; the dialog names the time zone and the list shows the new end', async () => {
    const before = new Map(
      (await members({ channel: CHANNEL_A.idChannel, status: 'active' })).map((row) => [row.userId, row.accessUntil!])
    );
    const luca = rows().filter({ hasText: 'ml-luca' });
    const maria = rows().filter({ hasText: 'ml-maria' });
    expect(await accessEnd(luca)).toBe(new Date(before.get('ml-luca')!).toISOString());

    await page.getByRole('checkbox', { name: `Select ml-luca, ${CHANNEL_A.title}` }).click();
    await page.getByRole('checkbox', { name: `Select ml-maria, ${CHANNEL_A.title}` }).click();
    const bar = page.getByTestId('bulk-bar');
    await bar.getByText('2 selected').waitFor();
    await screenshot('member-list');
    await bar.getByRole('button', { name: 'Extend / renew' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Extend or renew 2 accesses').waitFor();
    await dialog.getByText(`site's time zone: ${ZONE}`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Extend', exact: true }).click();
    await page.getByText('2 extended, 0 refused.').waitFor();
    await dialog.waitFor({ state: 'hidden' });

    const after = new Map(
      (await members({ channel: CHANNEL_A.idChannel, status: 'active' })).map((row) => [row.userId, row.accessUntil!])
    );
    const endOfDayInRome = new Intl.DateTimeFormat('en-GB', {
      timeZone: ZONE,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    for (const [userId, row] of [['ml-luca', luca], ['ml-maria', maria]] as const) {
      const added = Date.parse(after.get(userId)!) - Date.parse(before.get(userId)!);
      expect(added).toBeGreaterThan(27 * DAY);
      expect(added).toBeLessThan(32 * DAY);
      // A month later, to the end of that day in the site's zone.
      expect(endOfDayInRome.format(new Date(after.get(userId)!))).toBe('23:59:59');
      await waitFor(`${userId}'s new access end in the list`, async () =>
        (await accessEnd(row)) === new Date(after.get(userId)!).toISOString()
      );
    }
    expect(await page.getByTestId('bulk-bar').count()).toBe(0);
  });

  it('pauses an active access on the customer page (revoked at Osteocom), then resumes it', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers`);
    await rows().filter({ hasText: PAUSED_CUSTOMER }).getByRole('link').click();
    await page.waitForURL(new RegExp(`/customers/${PAUSED_CUSTOMER}$`));
    const row = page.getByTestId('entitlement-row').filter({ hasText: CHANNEL_C.title });
    await row.and(page.locator('[data-status="active"]')).waitFor();
    expect(app.sandbox.customer(PAUSED_CUSTOMER)?.activations[CHANNEL_C.idChannel]?.cancellationDate).toBeUndefined();

    await row.getByRole('button', { name: `Pause access to ${CHANNEL_C.title}` }).click();
    await row.and(page.locator('[data-status="paused"]')).waitFor();
    await row.getByTestId('entitlement-state').getByText('Paused', { exact: true }).waitFor();
    await row.getByTestId('plain-state').getByText("Paused: the customer can't watch until the access is resumed.").waitFor();
    await row.getByTestId('paused-since').waitFor();
    await waitFor('the channel revoked at the sandbox', () =>
      app.sandbox.customer(PAUSED_CUSTOMER)?.activations[CHANNEL_C.idChannel]?.cancellationDate
    );
    expect(await row.getByRole('button', { name: `Pause access to ${CHANNEL_C.title}` }).count()).toBe(0);
    await screenshot('pause-resume');

    await row.getByRole('button', { name: `Resume access to ${CHANNEL_C.title}` }).click();
    await row.and(page.locator('[data-status="active"]')).waitFor();
    await row.getByTestId('plain-state').getByText('Active: Osteocom confirmed it and the customer can watch.').waitFor();
    await waitFor('the channel authorized again at the sandbox', () => {
      const activation = app.sandbox.customer(PAUSED_CUSTOMER)?.activations[CHANNEL_C.idChannel];
      return activation && !activation.cancellationDate;
    });
    expect(await row.getByTestId('paused-since').count()).toBe(0);
  });

  it('pauses and resumes the selected rows from the list (bulk bar), at Osteocom too', async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/customers`);
    const select = () => page.getByRole('checkbox', { name: `Select ${PAUSED_CUSTOMER}, ${CHANNEL_C.title}` });
    const activation = () => app.sandbox.customer(PAUSED_CUSTOMER)?.activations[CHANNEL_C.idChannel];
    const statusOf = async () => (await members({ q: PAUSED_CUSTOMER })).find((row) => row.channelId === CHANNEL_C.idChannel)?.status;
    const bar = page.getByTestId('bulk-bar');

    await select().click();
    await bar.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByText('1 done, 0 refused.').waitFor();
    await waitFor('the row paused', async () => (await statusOf()) === 'paused');
    await waitFor('the channel revoked at the sandbox', () => Boolean(activation()?.cancellationDate));

    await select().click();
    await bar.getByRole('button', { name: 'Resume', exact: true }).click();
    await page.getByText('1 done, 0 refused.').last().waitFor();
    await waitFor('the row active again', async () => (await statusOf()) === 'active');
    await waitFor('the channel authorized again at the sandbox', () => Boolean(activation() && !activation()!.cancellationDate));
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
