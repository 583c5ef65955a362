/**
 * The admin panel in a real Chromium against the real playground Strapi (plugin server from
 * source, admin from playground/dist/build) and the in-process Osteocom sandbox.
 * `npm run test:e2e` builds what is stale first (scripts/build-if-needed.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { generateCatalog } from '../../sandbox/src';
import { createAdmin, createEndUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { ADMIN_PANEL_INDEX } from '../../scripts/build-if-needed';

jest.setTimeout(120_000);

const PASSWORD = 'Test-Password-123';
const SCREENSHOTS = path.resolve(__dirname, '../../test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const catalog = generateCatalog({ channels: 12, videosPerChannel: 5 });
const CUSTOMER = 'e2e-customer-1';

/** Debian's Chromium, headless, quiet (no network of its own). */
const launchChromium = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

/** A new browser session signed in to the admin as `email`; the page's uncaught errors go to `errors`. */
const signInAdmin = async (
  browser: Browser,
  baseUrl: string,
  email: string,
  errors: string[],
  options: BrowserContextOptions = {}
): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 960 },
    locale: 'en-US',
    ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL(
    (url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth')
  );
  return { context, page };
};

describe('admin panel (Chromium)', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  const pageErrors: string[] = [];

  const openSession = (email: string) => signInAdmin(browser, baseUrl, email, pageErrors);

  const screenshot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });

  /** Opens "Authorize access" from the Customers tab and fills userId and one channel. */
  const fillAuthorize = async (
    page: Page,
    userId: string,
    channelTitle: string,
    pickSiteUser?: string
  ) => {
    await tab(page, 'Customers').click();
    await page.waitForURL(/\/customers$/);
    await page.getByRole('button', { name: 'Authorize access' }).click();
    const dialog = page.getByRole('dialog');
    const userIdField = dialog.getByRole('textbox', { name: /User id/ });
    await userIdField.fill(userId);
    if (pickSiteUser) {
      // Suggestions come from the content-manager API; picking one uses its documentId.
      await dialog
        .getByRole('list', { name: 'Site users' })
        .getByRole('button', { name: new RegExp(pickSiteUser) })
        .click();
    }
    await dialog.getByRole('combobox', { name: /Channels/ }).click();
    await page.getByRole('option', { name: channelTitle }).click();
    await page.keyboard.press('Escape');
    return dialog;
  };

  beforeAll(async () => {
    if (!fs.existsSync(ADMIN_PANEL_INDEX)) {
      throw new Error(
        `No admin build at ${ADMIN_PANEL_INDEX}: run \`npm run test:e2e\`, which builds it.`
      );
    }
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog } });
    baseUrl = await app.listen();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  describe('as a super admin', () => {
    let context: BrowserContext;
    let page: Page;
    let token: string;

    beforeAll(async () => {
      const admin = await createAdmin(app, 'super');
      token = admin.token;
      ({ context, page } = await openSession(admin.email));
    });

    afterAll(() => context?.close());

    it('shows the overview and syncs the catalog with "Sync now"', async () => {
      await page.goto(`${baseUrl}/admin/plugins/osteocom`);
      await page.waitForURL(/\/admin\/plugins\/osteocom\/overview$/);
      await page.getByTestId('environment-badge').filter({ hasText: 'TEST' }).waitFor();
      await page.getByTestId('connection-state').filter({ hasText: 'Configured' }).waitFor();
      await page.getByText('The catalog has not been synced yet.').waitFor();

      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByTestId('sync-result').getByText('Sync finished').waitFor();
      await page
        .getByTestId('sync-result')
        .getByText('12 channels and 60 videos in the catalog.')
        .waitFor();
      await page.getByTestId('channel-count').filter({ hasText: /^12$/ }).waitFor();
      await page.getByTestId('last-sync').getByText('Succeeded').waitFor();
      await screenshot(page, 'overview');
    });

    it('says so when a sync is already running (409 SYNC_ALREADY_RUNNING)', async () => {
      app.sandbox.inject({ endpoint: 'catalog', latencyMs: 2_000 });
      const started = await app.http.post('/osteocom/sync').set('Authorization', `Bearer ${token}`);
      expect(started.status).toBe(202);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.getByText('Already running', { exact: true }).waitFor();
      await page
        .getByText('A catalog sync is already running.', { exact: false })
        .first()
        .waitFor();
      await screenshot(page, 'overview-already-running');
      // Let the background run finish before the next steps.
      for (let i = 0; i < 50; i += 1) {
        const runs = await app.http
          .get('/osteocom/sync-runs')
          .set('Authorization', `Bearer ${token}`);
        if (runs.body.data[0]?.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    it('lists the channels in Catalog, with search, paging and a channel’s videos', async () => {
      await tab(page, 'Catalog').click();
      await page.waitForURL(/\/catalog$/);
      await page.getByText('Page 1 of 2 · 12 entries').waitFor();
      expect(await page.getByTestId('channel-row').count()).toBe(10);
      await screenshot(page, 'catalog');

      const [first] = [...catalog].sort((a, b) => a.title.localeCompare(b.title));
      await page.getByRole('button', { name: `Show the videos of ${first.title}` }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('video-row').first().waitFor();
      expect(await dialog.getByTestId('video-row').count()).toBe(5);
      const durations = await dialog
        .getByTestId('video-row')
        .locator('td:nth-child(3)')
        .allInnerTexts();
      expect(durations.every((text) => /^\d+:\d{2}:\d{2}$/.test(text.trim()))).toBe(true);
      await screenshot(page, 'catalog-videos');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      await page.getByPlaceholder('Search channels by title or id').fill(catalog[3].idChannel);
      await page.getByText('Page 1 of 1 · 1 entry').waitFor();
      await page.getByTestId('channel-row').filter({ hasText: catalog[3].title }).waitFor();
    });

    it('shows an Osteocom panel on a channel in the Content Manager: sync the catalog, open the channel in the catalog', async () => {
      const channel = catalog[2];
      const { documentId } = await app.strapi.db
        .query('plugin::osteocom.channel')
        .findOne({ where: { idChannel: channel.idChannel } });
      await page.goto(
        `${baseUrl}/admin/content-manager/collection-types/plugin::osteocom.channel/${documentId}`
      );
      const panel = page.getByTestId('osteocom-channel-panel');
      await panel.getByText('Mirrored from the Osteocom catalog', { exact: false }).waitFor();
      const runs = async () =>
        (await app.http.get('/osteocom/sync-runs').set('Authorization', `Bearer ${token}`)).body
          .meta.pagination.total as number;
      const before = await runs();
      await panel.getByRole('button', { name: 'Sync the catalog now' }).click();
      await panel.getByTestId('sync-result').getByText('Sync finished').waitFor();
      expect(await runs()).toBe(before + 1);
      await screenshot(page, 'content-manager-channel');

      await panel.getByRole('link', { name: 'Open in the Osteocom catalog' }).click();
      await page.waitForURL(/\/admin\/plugins\/osteocom\/catalog\?q=/);
      await page.getByText('Page 1 of 1 · 1 entry').waitFor();
      await page.getByTestId('channel-row').filter({ hasText: channel.title }).waitFor();
    });

    it('authorizes a customer for a channel and shows the access active', async () => {
      await tab(page, 'Customers').click();
      await page.getByText('No customers yet. Authorize access to create one.').waitFor();
      const dialog = await fillAuthorize(page, CUSTOMER, catalog[0].title);
      await dialog.getByRole('textbox', { name: /Email/ }).fill('e2e@example.com');
      await dialog.getByRole('checkbox', { name: /marketing/ }).click();
      const price = dialog.getByRole('textbox', { name: `Price of “${catalog[0].title}”` });
      expect(await price.inputValue()).toBe(String(catalog[0].price));
      await price.fill('75');
      await screenshot(page, 'authorize');
      await dialog.getByRole('button', { name: 'Authorize', exact: true }).click();

      await page.waitForURL(new RegExp(`/customers/${CUSTOMER}$`));
      const row = page.getByTestId('entitlement-row').filter({ hasText: catalog[0].title });
      await row.getByText('Active', { exact: true }).waitFor();
      await row.getByText('75').waitFor();
      await page.getByText('Access is active for e2e-customer-1.').waitFor();
      await screenshot(page, 'customer-active');
    });

    it('revokes the access after confirmation', async () => {
      const row = page.getByTestId('entitlement-row').filter({ hasText: catalog[0].title });
      await row.getByRole('button', { name: 'Revoke' }).click();
      const confirm = page.getByRole('alertdialog');
      await confirm
        .getByText(`${CUSTOMER} will lose access to “${catalog[0].title}” at once.`, {
          exact: false,
        })
        .waitFor();
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await page.getByTestId('entitlement-row').filter({ hasText: 'Revoked' }).first().waitFor();
      expect(await row.getAttribute('data-status')).toBe('revoked');
      expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
      await screenshot(page, 'customer-revoked');

      await tab(page, 'Customers').click();
      await page.getByTestId('member-row').filter({ hasText: CUSTOMER }).first().waitFor();
      await screenshot(page, 'customers');
    });

    it('authorizes a site user picked by name; a sale Osteocom cannot take stays pending with its error, "Re-send" completes it', async () => {
      const { user } = await createEndUser(app);
      const username = user.email.split('@')[0];
      app.sandbox.inject({ endpoint: 'contentAccessAuthorization', status: 503, times: null });
      const dialog = await fillAuthorize(page, username.slice(0, 9), catalog[1].title, username);
      expect(await dialog.getByRole('textbox', { name: /User id/ }).inputValue()).toBe(
        user.documentId
      );
      expect(await dialog.getByRole('textbox', { name: /Email/ }).inputValue()).toBe(user.email);
      await dialog.getByRole('button', { name: 'Authorize', exact: true }).click();
      await page.waitForURL(new RegExp(`/customers/${user.documentId}$`));
      await page
        .getByText(`The purchase for ${user.documentId} is recorded as pending`, { exact: false })
        .waitFor();
      const row = page.getByTestId('entitlement-row').filter({ hasText: catalog[1].title });
      await row.getByText('Pending').waitFor();
      // In words; Osteocom's own message is kept in the details for support.
      await row.getByTestId('plain-retry').waitFor();
      await row.getByTestId('last-error').waitFor({ state: 'attached' });
      await screenshot(page, 'customer-pending');

      app.sandbox.clearFaults();
      await row.getByRole('button', { name: 'Re-send' }).click();
      await page
        .locator(`[data-testid="entitlement-row"][data-status="active"]`)
        .filter({ hasText: catalog[1].title })
        .waitFor();
      expect(await row.getByTestId('last-error').count()).toBe(0);
    });

    it('lists a purchase Osteocom refused in Needs attention; Re-send once Osteocom sells it again makes it active', async () => {
      const [sold, refused] = [catalog[5], catalog[6]];
      const userId = 'e2e-attention-1';
      // Osteocom stops selling one product: the shop's purchase of two ends partly refused.
      app.sandbox.removeChannel(refused.idChannel);
      const purchase = await app.http
        .post('/osteocom/authorizations')
        .set('Authorization', `Bearer ${token}`)
        .send({
          userId,
          products: [{ productId: sold.idChannel }, { productId: refused.idChannel }],
        });
      expect([purchase.status, purchase.body.data.state]).toEqual([200, 'partial']);

      await page.goto(`${baseUrl}/admin/plugins/osteocom/overview`);
      const row = page.getByTestId('attention-row').filter({ hasText: userId });
      await row.getByText(refused.title).waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.getAttribute('data-status')).toBe('failed');
      await row.getByText('Details for support').click();
      expect(await row.getByTestId('last-error-code').innerText()).toBe('Code: UPSTREAM_REJECTED');
      expect(await row.getByTestId('last-error').innerText()).toContain(
        `Unknown product ${refused.idChannel}`
      );
      await screenshot(page, 'overview-needs-attention');

      app.sandbox.addChannel(refused);
      await row.getByRole('button', { name: /Re-send/ }).click();
      await page.getByText(`Access is active for ${userId}.`).waitFor();
      await page.getByTestId('attention-empty').waitFor();
      // Osteocom holds it now, at the price the shop sold it for.
      expect(app.sandbox.customer(userId)?.activations[refused.idChannel]).toEqual({
        activatedAt: expect.any(String),
        price: refused.price,
      });

      await page.goto(`${baseUrl}/admin/plugins/osteocom/customers/${userId}`);
      for (const channel of [sold, refused]) {
        await page
          .locator('[data-testid="entitlement-row"][data-status="active"]')
          .filter({ hasText: channel.title })
          .waitFor();
      }
    });

    it('shows sync runs and the audit trail, filterable by customer', async () => {
      await page.goto(`${baseUrl}/admin/plugins/osteocom/activity?userId=${CUSTOMER}`);
      await page.getByTestId('audit-row').first().waitFor();
      const actions = await page
        .getByTestId('audit-row')
        .locator('td:nth-child(2)')
        .allInnerTexts();
      expect(actions.map((text) => text.trim())).toEqual(['Revoke', 'Authorize']);
      await page.getByTestId('sync-run-row').first().waitFor();
      await screenshot(page, 'activity');
    });

    it('opens Settings → Osteocom: locked fields, write-only secret, Test connection succeeds, a save shows at once', async () => {
      await page.goto(`${baseUrl}/admin/settings/osteocom`);
      await page.getByRole('button', { name: 'Test connection' }).waitFor();
      await page.getByTestId('secret-state').filter({ hasText: 'Set' }).waitFor();
      expect(await page.getByRole('textbox', { name: 'API base URL' }).isDisabled()).toBe(true);
      expect(
        await page.getByText('Set in config/plugins.ts or an environment variable').count()
      ).toBeGreaterThan(0);
      expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);

      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.getByTestId('connection-result').getByText('Connection succeeded').waitFor();
      await screenshot(page, 'settings');

      // Saved: the form shows the saved version at once, with nothing left to save.
      // A public https host: an admin-typed player URL must be one (the name is checked in DNS).
      const template = 'https://93.184.215.14/{videoId}?token={token}';
      await page.getByRole('textbox', { name: 'Player URL template' }).fill(template);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Settings saved.').waitFor();
      await page.locator('button:disabled', { hasText: /^Save$/ }).waitFor();
      expect(await page.getByRole('textbox', { name: 'Player URL template' }).inputValue()).toBe(
        template
      );
    });
  });

  describe('as an editor with only plugin::osteocom.read', () => {
    let editor: { email: string; token: string };
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      editor = await createAdmin(app, ['plugin::osteocom.read']);
      ({ context, page } = await openSession(editor.email));
    });

    afterAll(() => context?.close());

    it('sees the data but neither "Sync now" nor "Authorize access" nor "Revoke"', async () => {
      await page.goto(`${baseUrl}/admin/plugins/osteocom/overview`);
      await page.getByTestId('environment-badge').waitFor();
      expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0);

      await tab(page, 'Customers').click();
      await page.getByTestId('member-row').filter({ hasText: CUSTOMER }).first().waitFor();
      expect(await page.getByRole('button', { name: 'Authorize access' }).count()).toBe(0);
      await screenshot(page, 'editor-customers');

      // The member list links the customer by name (the user id under it).
      await page.getByTestId('member-row').filter({ hasText: CUSTOMER }).first().getByRole('link').click();
      await page.getByTestId('entitlement-row').first().waitFor();
      expect(await page.getByRole('button', { name: /Authorize|Revoke|Re-send/ }).count()).toBe(0);
    });

    it('loads a customer without paging through the catalog: the titles come with the customer', async () => {
      const requested: string[] = [];
      const record = (request: { url: () => string }) =>
        requested.push(new URL(request.url()).pathname);
      page.on('request', record);
      try {
        await page.goto(`${baseUrl}/admin/plugins/osteocom/customers/${CUSTOMER}`);
        await page.getByTestId('entitlement-row').filter({ hasText: catalog[0].title }).waitFor();
      } finally {
        page.off('request', record);
      }
      expect(requested).toContain(`/osteocom/customers/${CUSTOMER}`);
      expect(requested.filter((path) => path.startsWith('/osteocom/channels'))).toEqual([]);
    });

    it('is refused by the authorize route (403) with the editor’s admin JWT', async () => {
      const res = await app.http
        .post('/osteocom/authorizations')
        .set('Authorization', `Bearer ${editor.token}`)
        .send({ userId: 'sneaky', products: [{ productId: catalog[1].idChannel }] });
      expect(res.status).toBe(403);
    });
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});

/**
 * Issue 16 in the admin: an access end picked in the Authorize dialog, shown on the customer page,
 * and the customer's personal-data requests there (export, erase after confirmation), offered
 * only to roles with their actions. Its own Strapi and browser: it depends on nothing above.
 */
describe('time-limited access and personal-data requests (Chromium)', () => {
  const GDPR_CUSTOMER = 'e2e-gdpr-1';
  const gdprCatalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
  const channel = gdprCatalog[0];
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  const errors: string[] = [];
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  // UTC, so the picked end of access reads back the same on any machine.
  const signIn = (email: string) =>
    signInAdmin(browser, baseUrl, email, errors, { timezoneId: 'UTC' });

  beforeAll(async () => {
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog: gdprCatalog } });
    baseUrl = await app.listen();
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  describe('as a super admin', () => {
    let context: BrowserContext;
    let page: Page;
    let token: string;

    beforeAll(async () => {
      const admin = await createAdmin(app, 'super');
      token = admin.token;
      const sync = await app.http
        .post('/osteocom/sync?wait=true')
        .set('Authorization', `Bearer ${admin.token}`);
      expect(sync.body.data.status).toBe('succeeded');
      ({ context, page } = await signIn(admin.email));
    });

    afterAll(() => context?.close());

    it('authorizes with an end of access picked in the dialog, and shows it on the customer page', async () => {
      await page.goto(`${baseUrl}/admin/plugins/osteocom/customers`);
      await page.getByRole('button', { name: 'Authorize access' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: /User id/ }).fill(GDPR_CUSTOMER);
      await dialog.getByRole('textbox', { name: /Email/ }).fill('gdpr.e2e@example.com');
      await dialog.getByRole('textbox', { name: 'First name' }).fill('Gianna');
      await dialog.getByRole('textbox', { name: 'Last name' }).fill('Verdolini');
      await dialog.getByRole('combobox', { name: /Channels/ }).click();
      await page.getByRole('option', { name: channel.title }).click();
      await page.keyboard.press('Escape');
      // Typed key by key, as a person does: the first key opens the calendar, Enter takes the date.
      await dialog
        .getByRole('combobox', { name: `Date access to “${channel.title}” ends` })
        .pressSequentially('12/31/2030');
      await page.keyboard.press('Enter');
      // The time is picked from the list: typed key by key, a loaded browser may settle on the
      // first match of the first key ("01:00"). The value is then read back before going on.
      const time = dialog.getByRole('combobox', { name: `Time access to “${channel.title}” ends` });
      for (let attempt = 0; attempt < 3 && (await time.inputValue()) !== '14:30'; attempt += 1) {
        await time.click();
        await page.getByRole('option', { name: '14:30', exact: true }).click();
      }
      expect(await time.inputValue()).toBe('14:30');
      await shot(page, 'authorize-access-until');
      await dialog.getByRole('button', { name: 'Authorize', exact: true }).click();

      await page.waitForURL(new RegExp(`/customers/${GDPR_CUSTOMER}$`));
      const row = page.getByTestId('entitlement-row').filter({ hasText: channel.title });
      await row.getByText('Active', { exact: true }).waitFor();
      await row
        .getByTestId('entitlement-access-until')
        .getByText('Dec 31, 2030, 2:30 PM')
        .waitFor();
      const stored = await app.strapi.db
        .query('plugin::osteocom.entitlement')
        .findOne({ where: { customerKey: GDPR_CUSTOMER } });
      expect(new Date(stored.accessUntil).toISOString()).toBe('2030-12-31T14:30:00.000Z');
      await shot(page, 'customer-access-until');
    });

    it('lists an access that ends within the chosen period in Expiring soon on the overview', async () => {
      const accessUntil = new Date(Date.now() + 10 * 86_400_000).toISOString();
      const res = await app.http
        .post('/osteocom/authorizations')
        .set('Authorization', `Bearer ${token}`)
        .send({
          userId: 'e2e-expiring-1',
          products: [{ productId: gdprCatalog[1].idChannel, accessUntil }],
        });
      expect(res.status).toBe(200);
      await page.goto(`${baseUrl}/admin/plugins/osteocom/overview`);
      const row = page.getByTestId('expiring-row').filter({ hasText: 'e2e-expiring-1' });
      await row.getByText(gdprCatalog[1].title).waitFor();
      // The access ending in 2030 is not soon.
      expect(await page.getByTestId('expiring-row').count()).toBe(1);
      await shot(page, 'overview-expiring');
      await page.getByRole('combobox', { name: 'Period' }).click();
      await page.getByRole('option', { name: 'Within 7 days' }).click();
      await page.getByTestId('expiring-empty').waitFor();
      await page.goto(`${baseUrl}/admin/plugins/osteocom/customers/${GDPR_CUSTOMER}`);
    });

    it('exports the customer’s personal data as a JSON file', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export personal data' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`osteocom-customer-${GDPR_CUSTOMER}.json`);
      const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
      expect(file.data.customer).toMatchObject({
        userId: GDPR_CUSTOMER,
        email: 'gdpr.e2e@example.com',
        name: 'Gianna',
        surname: 'Verdolini',
      });
      expect(file.data.entitlements).toEqual([
        expect.objectContaining({
          channelKey: channel.idChannel,
          accessUntil: '2030-12-31T14:30:00.000Z',
        }),
      ]);
    });

    it('erases the personal data after confirmation: the profile shows blanks, the access stays', async () => {
      const profile = page.getByText('gdpr.e2e@example.com');
      await profile.waitFor();
      await page.getByRole('button', { name: 'Erase personal data' }).click();
      const confirm = page.getByRole('alertdialog');
      await confirm
        .getByText(`The email, first name and last name of ${GDPR_CUSTOMER} will be blanked`, {
          exact: false,
        })
        .waitFor();
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await page.getByText(`Personal data of ${GDPR_CUSTOMER} erased.`).waitFor();
      await page.getByText('Personal data erased', { exact: true }).waitFor();
      await profile.waitFor({ state: 'detached' });
      expect(await page.getByText('Gianna Verdolini').count()).toBe(0);
      await page
        .getByTestId('entitlement-row')
        .filter({ hasText: channel.title })
        .getByText('Active', { exact: true })
        .waitFor();
      await shot(page, 'customer-erased');
      const customer = await app.strapi.db
        .query('plugin::osteocom.customer')
        .findOne({ where: { userId: GDPR_CUSTOMER } });
      expect(customer).toMatchObject({ email: null, name: null, surname: null });
    });
  });

  it('offers neither request to an editor without their actions', async () => {
    const editor = await createAdmin(app, ['plugin::osteocom.read']);
    const { context, page } = await signIn(editor.email);
    try {
      await page.goto(`${baseUrl}/admin/plugins/osteocom/customers/${GDPR_CUSTOMER}`);
      await page.getByTestId('entitlement-row').first().waitFor();
      expect(await page.getByRole('button', { name: /personal data/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('raised no uncaught errors in the pages', () => {
    expect(errors).toEqual([]);
  });
});

/** Issue 16, bulk purchases: the Import page with a real CSV file, end to end. Self-contained: its own app and browser. */
describe('admin Import page (Chromium)', () => {
  const bulkCatalog = generateCatalog({ channels: 3, videosPerChannel: 1 });
  const [first, second, third] = bulkCatalog.map((channel) => channel.idChannel);
  const errors: string[] = [];
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let dir: string;

  const login = (email: string) =>
    signInAdmin(browser, baseUrl, email, errors, { acceptDownloads: true });

  /**
   * 15 customers × 10 rows (three channels, so repeats), two rows the dry run refuses on lines 5
   * and 9, and an unknown product the server's dry run refuses (line 154): 153 rows, two requests.
   */
  const csvLines = () => {
    const rows = Array.from(
      { length: 150 },
      (_, i) => `e2e-bulk-${Math.floor(i / 10) + 1};;;;;${[first, second, third][i % 3]};;`
    );
    rows.splice(3, 0, `e2e-bad-price;;;;;${first};-1;`);
    rows.splice(7, 0, `e2e-bad-consent;;;;maybe;${first};;`);
    rows.push('e2e-bulk-unknown;;;;;unknown-channel-x;;');
    return ['userId;email;name;surname;marketingConsent;productId;price;accessUntil', ...rows];
  };

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(SCREENSHOTS), { recursive: true });
    dir = fs.mkdtempSync(path.join(path.dirname(SCREENSHOTS), 'import-'));
    app = await startTestApp({ serveAdminPanel: true, sandbox: { catalog: bulkCatalog } });
    baseUrl = await app.listen();
    browser = await launchChromium();
    const admin = await createAdmin(app, 'super');
    expect(
      (
        await app.http
          .post('/osteocom/sync?wait=true')
          .set('Authorization', `Bearer ${admin.token}`)
      ).body.data.status
    ).toBe('succeeded');
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('dry run lists the problems by line, apply shows progress, and the result file has every row', async () => {
    const admin = await createAdmin(app, 'super');
    const { context, page } = await login(admin.email);
    try {
      const file = path.join(dir, 'seats.csv');
      fs.writeFileSync(file, `${csvLines().join('\r\n')}\r\n`, 'utf8');
      await page.goto(`${baseUrl}/admin/plugins/osteocom/overview`);
      await page.getByRole('tab', { name: 'Import', exact: true }).click();
      await page.waitForURL(/\/import$/);
      await page.getByLabel('CSV file').setInputFiles(file);

      await expect(page.getByTestId('import-summary').textContent()).resolves.toBe(
        '153 rows: 150 ready, 3 with problems (not sent).'
      );
      const problems = page.getByTestId('import-problem');
      await expect(problems.allInnerTexts()).resolves.toEqual([
        expect.stringMatching(/^5\s+price\s+/),
        expect.stringMatching(/^9\s+marketingConsent\s+must be true or false/),
        expect.stringMatching(/^154\s+productId\s+.*unknown-channel-x/),
      ]);
      // Nothing is written by the dry run.
      expect(app.sandbox.count('contentAccessAuthorization')).toBe(0);
      expect(await app.strapi.db.connection('osteocom_entitlements').count({ n: '*' })).toEqual([
        { n: 0 },
      ]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-dry-run.png'), fullPage: true });

      // The second request is held at Osteocom a moment: the bar stands at the first one.
      app.sandbox.inject({
        endpoint: 'contentAccessAuthorization',
        latencyMs: 3_000,
        match: { userId: 'e2e-bulk-15' },
      });
      await page.getByRole('button', { name: 'Apply 150 rows' }).click();
      await page
        .getByTestId('import-progress')
        .filter({ hasText: '100 of 150 rows applied' })
        .waitFor();
      expect(Number(await page.getByRole('progressbar').getAttribute('aria-valuenow'))).toBe(67);
      await page
        .getByTestId('import-progress')
        .filter({ hasText: '150 of 150 rows applied' })
        .waitFor();
      await expect(page.getByTestId('import-outcomes').innerText()).resolves.toMatch(
        /150 active\s+0 pending\s+3 refused/i
      );
      // One Osteocom call per customer.
      expect(app.sandbox.count('contentAccessAuthorization')).toBe(15);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'import-applied.png'), fullPage: true });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download results' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('osteocom-import-results.csv');
      const lines = fs
        .readFileSync((await download.path())!, 'utf8')
        .trim()
        .split(/\r?\n/);
      expect(lines[0]).toBe('line,userId,productId,outcome,code,message');
      expect(lines).toHaveLength(154);
      const byLine = new Map(
        lines.slice(1).map((line) => [line.split(',')[0], line.split(',').slice(1, 5)])
      );
      expect(byLine.get('2')).toEqual(['e2e-bulk-1', first, 'active', '']);
      expect(byLine.get('5')).toEqual(['e2e-bad-price', first, 'refused', 'VALIDATION_ERROR']);
      expect(byLine.get('9')).toEqual(['e2e-bad-consent', first, 'refused', 'VALIDATION_ERROR']);
      expect(byLine.get('154')).toEqual([
        'e2e-bulk-unknown',
        'unknown-channel-x',
        'refused',
        'UNKNOWN_CHANNEL',
      ]);
      expect([...byLine.values()].filter(([, , outcome]) => outcome === 'active')).toHaveLength(
        150
      );
      // Stored once per customer and channel.
      const stored = await app.strapi.db
        .connection('osteocom_entitlements')
        .where('customer_key', 'like', 'e2e-bulk-%')
        .select('customer_key', 'channel_key', 'status');
      expect(stored).toHaveLength(45);
      expect(new Set(stored.map((row: { status: string }) => row.status))).toEqual(
        new Set(['active'])
      );
    } finally {
      await context.close();
    }
  });

  it('is not offered to an editor who may not authorize', async () => {
    const editor = await createAdmin(app, ['plugin::osteocom.read']);
    const { context, page } = await login(editor.email);
    try {
      await page.goto(`${baseUrl}/admin/plugins/osteocom/overview`);
      await page.getByRole('tab', { name: 'Overview', exact: true }).waitFor();
      expect(await page.getByRole('tab', { name: 'Import', exact: true }).count()).toBe(0);
      await page.goto(`${baseUrl}/admin/plugins/osteocom/import`);
      await page.getByText(/don't have the permissions|do not have the permissions/i).waitFor();
      expect(await page.getByLabel('CSV file').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('raised no uncaught errors in the pages', () => {
    expect(errors).toEqual([]);
  });
});
