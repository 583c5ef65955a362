/**
 * Issue 25 in a real Chromium: a user of Strapi's own Editor role curates the mirrored catalog in
 * the Content Manager — features one channel, hides another — and the public catalog follows.
 * The list and edit view screenshots go to docs/screenshots (the README's pictures).
 * `npm run test:e2e` builds the admin panel first when it is stale (scripts/build-if-needed.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateCatalog } from '../../sandbox/src';
import { ADMIN_PANEL_INDEX } from '../../scripts/build-if-needed';
import { createAdmin, createAdminUser } from '../helpers/auth';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(180_000);

const CHANNEL = 'plugin::osteocom.channel';
const PASSWORD = 'Test-Password-123';
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, '../../docs/screenshots');
const catalog = generateCatalog({ channels: 4, videosPerChannel: 2 });
// By title: `featured` sorts last and `hidden` first, so only the curation can move them.
const [hidden, , , featured] = [...catalog].sort((a, b) => a.title.localeCompare(b.title));

/** A list view row by its cells' text, in column order. */
const rowNamed = (...cells: (string | number | undefined)[]) =>
  new RegExp(cells.map((cell) => String(cell).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' '));

interface PublicChannel {
  idChannel: string;
  featured: boolean;
}

describe('editors curate channels in the Content Manager (Chromium)', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const listUrl = () => `${baseUrl}/admin/content-manager/collection-types/${CHANNEL}`;
  const screenshot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const publicList = async () =>
    (await app.http.get('/api/osteocom/channels?pageSize=100')).body.data as PublicChannel[];

  /** A user of the Editor role Strapi creates on first start, as a site's editors are. */
  const createEditor = async () => {
    const role = await app.strapi.db
      .query('admin::role')
      .findOne({ where: { code: 'strapi-editor' } });
    const email = 'eda.editor@osteocom.test';
    await createAdminUser(app, {
      email,
      firstname: 'Eda',
      lastname: 'Editor',
      password: PASSWORD,
      isActive: true,
      registrationToken: null,
      roles: [role.id],
    });
    return email;
  };

  const signIn = async (email: string) => {
    context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.getByRole('textbox', { name: /Email/ }).fill(email);
    await page.getByLabel(/Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(
      (url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth')
    );
  };

  /** From the list view, the edit view of the channel titled `title`. */
  const openChannel = async (title: string) => {
    await page.goto(listUrl());
    await page.getByRole('row').filter({ hasText: title }).getByText(title).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  };

  /** Saves the edit view and waits for the Content Manager to say it saved. */
  const save = async () => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved document', { exact: false }).first().waitFor();
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
    const admin = await createAdmin(app, 'super');
    const sync = await app.http
      .post('/osteocom/sync?wait=true')
      .set('Authorization', `Bearer ${admin.token}`);
    expect(sync.body.data.status).toBe('succeeded');
    browser = await chromium.launch({
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
    await signIn(await createEditor());
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it('lists the synced channels with title, availability, listed, featured and price, and offers no Create', async () => {
    await page.goto(listUrl());
    for (const channel of catalog)
      await page.getByRole('row').filter({ hasText: channel.title }).waitFor();
    const header = page
      .getByRole('row')
      .filter({ has: page.getByRole('checkbox', { name: 'Select all entries' }) });
    expect(
      (await header.getByRole('gridcell').allTextContents()).map((text) => text.trim())
    ).toEqual(['', 'Title', 'Availability', 'Listed', 'Featured', 'Price']);
    expect(await page.getByRole('link', { name: /Create new entry/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Create new entry/ }).count()).toBe(0);
    // Strapi's promotion banner is not ours: out of the picture.
    await page.getByRole('button', { name: 'Close the banner.' }).click();

    // Strapi shows a row's Duplicate and Delete disabled when the role lacks them.
    await page
      .getByRole('row')
      .filter({ hasText: featured.title })
      .getByRole('button', { name: 'Row actions' })
      .click();
    const menu = page.getByRole('menu', { name: 'Row actions' });
    expect(await menu.getByRole('menuitem', { name: 'Edit' }).isEnabled()).toBe(true);
    for (const name of ['Duplicate', 'Delete entry']) {
      expect(await menu.getByRole('menuitem', { name }).isDisabled()).toBe(true);
    }
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    // Selecting rows offers no bulk Delete or Publish.
    const selectAll = page.getByRole('checkbox', { name: 'Select all entries' });
    await selectAll.check();
    await page.getByText('4 entries selected').waitFor();
    expect(
      await page
        .getByRole('main')
        .getByRole('button', { name: /Delete|Publish/ })
        .count()
    ).toBe(0);
    await selectAll.uncheck();
  });

  it('shows the mirrored fields read-only and the site-owned ones editable', async () => {
    await openChannel(featured.title);
    const mirrored = [/^Osteocom id/, /^Title/, /^Subtitle/, /^Description \(HTML\)/, /^Price/];
    for (const name of mirrored) {
      const input = page.getByRole('textbox', { name });
      await input.waitFor();
      expect(await input.isDisabled()).toBe(true);
    }
    expect(await page.getByRole('textbox', { name: /^Title/ }).inputValue()).toBe(featured.title);
    expect(await page.getByRole('combobox', { name: 'Availability' }).isDisabled()).toBe(true);
    for (const name of [/^Slug/, /^Summary/, /^Position/]) {
      expect(await page.getByRole('textbox', { name }).isEnabled()).toBe(true);
    }
    for (const name of ['Listed', 'Featured']) {
      expect(await page.getByRole('checkbox', { name }).isEnabled()).toBe(true);
    }
    // The Osteocom panel: the sync keeps the site's fields; no link to a plugin page the editor may not open.
    const panel = page.getByTestId('osteocom-channel-panel');
    await panel
      .getByText('Slug, listed, featured, position, summary and site cover are this site’s', {
        exact: false,
      })
      .waitFor();
    expect(await panel.getByRole('link', { name: 'Open in the Osteocom catalog' }).count()).toBe(0);
    await page.getByRole('button', { name: 'More actions' }).click();
    const menu = page.getByRole('menu', { name: 'More actions' });
    expect(await menu.getByRole('menuitem', { name: 'Delete entry' }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
  });

  it('features a channel: saved, and first in the public catalog', async () => {
    const toggle = page.getByRole('checkbox', { name: 'Featured' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await save();
    await screenshot('channel-edit');
    const list = await waitFor('the featured channel first in the public catalog', async () => {
      const data = await publicList();
      return data[0]?.idChannel === featured.idChannel && data;
    });
    expect(list[0].featured).toBe(true);
  });

  it('hides another channel: saved, and gone from the public catalog, the featured one still first', async () => {
    await openChannel(hidden.title);
    const toggle = page.getByRole('checkbox', { name: 'Listed' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await save();
    const list = await waitFor('the hidden channel gone from the public catalog', async () => {
      const data = await publicList();
      return !data.some((channel) => channel.idChannel === hidden.idChannel) && data;
    });
    expect(list.map((channel) => channel.idChannel)).toEqual([
      featured.idChannel,
      ...[...catalog]
        .sort((a, b) => a.title.localeCompare(b.title))
        .filter((channel) => channel !== hidden && channel !== featured)
        .map((channel) => channel.idChannel),
    ]);
    // Hidden, not removed: the editor still finds it, with Listed off.
    const stored = await app.strapi.db
      .query(CHANNEL)
      .findOne({ where: { idChannel: hidden.idChannel } });
    expect([stored.listed, stored.availability]).toEqual([false, 'available']);

    // The list view shows both choices (its row names read: title, availability, listed, featured, price).
    await page.goto(listUrl());
    await page
      .getByRole('row', {
        name: rowNamed(featured.title, 'available', 'True', 'True', featured.price),
      })
      .waitFor();
    await page
      .getByRole('row', {
        name: rowNamed(hidden.title, 'available', 'False', 'False', hidden.price),
      })
      .waitFor();
    await screenshot('channel-list');
  });

  it("is refused the plugin's catalog page, which is why the channel panel does not link to it", async () => {
    await page.goto(`${baseUrl}/admin/plugins/osteocom/catalog`);
    await page.getByText(/don't have the permissions|do not have the permissions/i).waitFor();
  });

  it('raised no uncaught errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
