/**
 * Issue 26, reminders: `osteocom.access.expiring` once per access and end date, `reminderDays`
 * before it ends, and — when Strapi's email plugin is configured (here with the recording provider
 * of tests/helpers/email-recorder) — an email to the customer from the editable template, plus the
 * owner's daily digest. The claim is a compare-and-set on `remindedFor`: passes running at once
 * remind each access once; extending the access arms it again.
 */
import { generateCatalog } from '../../sandbox/src';
import { createAdmin } from '../helpers/auth';
import { captureLogs } from '../helpers/capture';
import { createMailbox } from '../helpers/emails';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

const catalog = generateCatalog({ channels: 2, videosPerChannel: 1 });
const [A, B] = catalog.map((channel) => channel.idChannel);
const TITLE_A = catalog[0].title;
const ENTITLEMENT = 'plugin::osteocom.entitlement';
const DAY_MS = 86_400_000;
const EVENT = 'osteocom.access.expiring';
const FAILING = 'bounce@example.com';
const LEASE = 'plugin::osteocom.lease';
const KOLKATA_MS = 5.5 * 3_600_000;
/** Midnight in Asia/Kolkata (UTC+5:30 all year) after `ms`: never a UTC midnight, 5.5 h from the nearest. */
const nextKolkataMidnight = (ms: number) => (Math.floor((ms + KOLKATA_MS) / DAY_MS) + 1) * DAY_MS - KOLKATA_MS;

interface Expiring {
  userId: string;
  channelIds: string[];
  accessUntil: string;
  reminderDays: number;
}

/** Everything the event hub announced as expiring, in order. */
const listen = (app: TestApp) => {
  const events: Expiring[] = [];
  (app.strapi.eventHub as unknown as { on(name: string, listener: (payload: Expiring) => void): void }).on(EVENT, (payload) => void events.push(payload));
  return events;
};

let serial = 0;
const uniqueUser = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(serial += 1)}`;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

const setUp = (email: boolean) => {
  const state = {} as { app: TestApp; admin: string; events: Expiring[]; mailbox: ReturnType<typeof createMailbox>; logs: ReturnType<typeof captureLogs> };
  beforeAll(async () => {
    state.mailbox = createMailbox([FAILING]);
    state.app = await startTestApp({
      sandbox: { catalog },
      ...(email ? { email: state.mailbox.env } : {}),
      beforeLoad: (strapi) => void (state.logs = captureLogs(strapi.log)),
    });
    state.admin = (await createAdmin(state.app, 'super')).token;
    expect((await state.app.http.post('/osteocom/sync?wait=true').set('Authorization', `Bearer ${state.admin}`)).body.data.status).toBe('succeeded');
    state.events = listen(state.app);
  });
  afterAll(async () => {
    state.logs?.restore();
    await state.app?.close();
    state.mailbox?.remove();
  });
  return state;
};

const helpers = (state: ReturnType<typeof setUp>) => {
  const auth = () => ({ Authorization: `Bearer ${state.admin}` });
  return {
    auth,
    authorize: async (userId: string, products: { productId: string; accessUntil?: string }[], profile: Record<string, string> = {}) => {
      const res = await state.app.http.post('/osteocom/authorizations').set(auth()).send({ userId, ...profile, products });
      expect(res.status).toBe(200);
      return res;
    },
    pass: () => state.app.strapi.plugin('osteocom').service('reminders').runOnce() as Promise<{ reminded: number; emailed: number; failed: number; digest: boolean }>,
    settings: async (body: object) => {
      const res = await state.app.http.put('/osteocom/settings').set(auth()).send(body);
      expect(res.status).toBe(200);
      return res;
    },
    row: (userId: string, channelKey = A) => state.app.strapi.db.query(ENTITLEMENT).findOne({ where: { customerKey: userId, channelKey } }),
    eventsFor: (userId: string) => state.events.filter((event) => event.userId === userId),
    mailsTo: (address: string) => state.mailbox.read().filter((mail) => mail.to === address),
  };
};

describe('reminders with the email plugin configured', () => {
  const state = setUp(true);
  const h = helpers(state);
  afterEach(() => h.settings({ reminderDays: 7, reminderLocale: 'en', reminderSubject: null, reminderBody: null, siteName: null, reminderDigestEmail: null, syncTz: 'UTC' }));

  it('announces and emails an access once, N days before it ends; not one ending later or permanent; again after an extension', async () => {
    const userId = uniqueUser('remind');
    const email = `${userId}@example.com`;
    await h.authorize(userId, [{ productId: A, accessUntil: inDays(3) }, { productId: B }], { email, name: 'Luca', surname: 'Bianchi' });
    const later = uniqueUser('later');
    await h.authorize(later, [{ productId: A, accessUntil: inDays(30) }], { email: `${later}@example.com` });

    await h.pass();
    await h.pass();
    const until = (await h.row(userId)).accessUntil as string;
    expect(h.eventsFor(userId)).toEqual([{ userId, channelIds: [A], accessUntil: until, reminderDays: 7 }]);
    expect(h.mailsTo(email)).toHaveLength(1);
    expect(h.eventsFor(later)).toEqual([]);
    expect(h.mailsTo(`${later}@example.com`)).toEqual([]);
    expect(await h.row(userId)).toMatchObject({ remindedFor: until, reminderOutcome: 'sent' });

    // Extended (still within the window): the new end date is reminded once more.
    await h.authorize(userId, [{ productId: A, accessUntil: inDays(5) }]);
    await h.pass();
    await h.pass();
    const extended = (await h.row(userId)).accessUntil as string;
    expect(h.eventsFor(userId).map((event) => event.accessUntil)).toEqual([until, extended]);
    expect(h.mailsTo(email)).toHaveLength(2);

    // The window grows to cover the later access: it is reminded once, the others not again.
    await h.settings({ reminderDays: 31 });
    await h.pass();
    expect(h.eventsFor(later)).toHaveLength(1);
    expect(h.eventsFor(userId)).toHaveLength(2);
  });

  it('renders the default English template with the placeholders filled, and never logs the address or the name', async () => {
    const userId = uniqueUser('render');
    const email = `${userId}@example.com`;
    const until = inDays(2);
    await h.authorize(userId, [{ productId: A, accessUntil: until }], { email, name: 'Giulia', surname: 'Verdi' });
    const pass = await h.pass();
    expect(pass).toMatchObject({ reminded: 1, emailed: 1, failed: 0 });
    const [mail] = h.mailsTo(email);
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(until));
    expect(mail.subject).toBe(`Your access to ${TITLE_A} ends on ${date}`);
    expect(mail.text).toContain(`Hello Giulia,`);
    expect(mail.text).toContain(`your access to "${TITLE_A}" on Playground Academy ends on ${date} (2 days from now).`);
    expect(mail.text).not.toMatch(/\{\{/);
    expect(mail.from).toBe('Playground Academy <no-reply@playground.test>');
    const lines = state.logs.lines.map((line) => line.text);
    expect(lines).toContain('[osteocom] sent 1 expiring reminders, 1 emails, 0 failed');
    expect(lines.filter((line) => line.includes(email) || line.includes('Giulia') || line.includes('Verdi'))).toEqual([]);
  });

  it('renders Italian defaults, and an edited template with its placeholders; refuses a placeholder that does not exist', async () => {
    const italian = uniqueUser('it');
    await h.authorize(italian, [{ productId: A, accessUntil: inDays(4) }], { email: `${italian}@example.com`, name: 'Marco' });
    await h.settings({ reminderLocale: 'it', siteName: 'Accademia Ossa' });
    await h.pass();
    const until = (await h.row(italian)).accessUntil as string;
    const date = new Intl.DateTimeFormat('it', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(until));
    const [mail] = h.mailsTo(`${italian}@example.com`);
    expect(mail.subject).toBe(`Il tuo accesso a ${TITLE_A} scade il ${date}`);
    expect(mail.text).toContain(`Ciao Marco,`);
    expect(mail.text).toContain(`su Accademia Ossa scade il ${date}`);

    const edited = uniqueUser('edited');
    await h.authorize(edited, [{ productId: A, accessUntil: inDays(6) }], { email: `${edited}@example.com`, name: 'Anna', surname: '<b>Rossi</b>' });
    await h.settings({ reminderLocale: 'en', reminderSubject: '{{siteName}}: {{channel}} until {{accessUntil}}', reminderBody: 'Dear {{ name }} {{surname}}, {{daysLeft}} days left.' });
    await h.pass();
    const [custom] = h.mailsTo(`${edited}@example.com`);
    const enDate = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date((await h.row(edited)).accessUntil as string));
    expect(custom.subject).toBe(`Accademia Ossa: ${TITLE_A} until ${enDate}`);
    expect(custom.text).toBe('Dear Anna <b>Rossi</b>, 6 days left.');
    expect(custom.html).toBe('<p>Dear Anna &#60;b&#62;Rossi&#60;/b&#62;, 6 days left.</p>');

    for (const body of [{ reminderBody: 'Hi {{email}}' }, { reminderSubject: '{{password}}' }, { reminderDays: -1 }, { reminderDays: 366 }, { reminderLocale: 'fr' }, { reminderDigestEmail: 'not-an-address' }]) {
      const res = await state.app.http.put('/osteocom/settings').set(h.auth()).send(body);
      expect([body, res.status, res.body.error.details.code]).toEqual([body, 400, 'VALIDATION_ERROR']);
    }
    const { values } = (await state.app.http.get('/osteocom/settings').set(h.auth())).body.data;
    expect(values).toMatchObject({ reminderDays: 7, reminderLocale: 'en', reminderEmailAvailable: true, siteName: 'Accademia Ossa' });
  });

  it('a failed email still announces the access, is recorded, and is not sent again; a customer without an email gets the event only', async () => {
    const failing = uniqueUser('fail');
    await h.authorize(failing, [{ productId: A, accessUntil: inDays(3) }], { email: FAILING });
    const silent = uniqueUser('no-email');
    await h.authorize(silent, [{ productId: A, accessUntil: inDays(3) }]);
    const first = await h.pass();
    expect(first).toMatchObject({ reminded: 2, emailed: 0, failed: 1 });
    await h.pass();
    expect(h.eventsFor(failing)).toHaveLength(1);
    expect(h.eventsFor(silent)).toHaveLength(1);
    expect(await h.row(failing)).toMatchObject({ reminderOutcome: 'failed' });
    expect(await h.row(silent)).toMatchObject({ reminderOutcome: 'no-email' });
    // The customer page's reply carries the outcome, and the end date it was for.
    const detail = await state.app.http.get(`/osteocom/customers/${silent}`).set(h.auth());
    expect(detail.body.data.entitlements).toEqual([
      expect.objectContaining({ channelKey: A, remindedFor: (await h.row(silent)).accessUntil, reminderOutcome: 'no-email' }),
    ]);
    expect(state.logs.lines.map((line) => line.text)).toContain('[osteocom] sent 2 expiring reminders, 0 emails, 1 failed');
    expect(state.logs.lines.some((line) => line.text.includes(FAILING))).toBe(false);
  });

  it('three passes at once remind each of 20 accesses exactly once', async () => {
    const users = Array.from({ length: 20 }, () => uniqueUser('race'));
    for (const userId of users) await h.authorize(userId, [{ productId: A, accessUntil: inDays(1) }], { email: `${userId}@example.com` });
    const passes = await Promise.all([h.pass(), h.pass(), h.pass()]);
    expect(passes.reduce((sum, pass) => sum + pass.reminded, 0)).toBe(20);
    for (const userId of users) {
      expect(h.eventsFor(userId)).toHaveLength(1);
      expect(h.mailsTo(`${userId}@example.com`)).toHaveLength(1);
    }
  });

  it('sends the owner one digest per day listing the accesses ending soon, and nothing at all with reminders off', async () => {
    const userId = uniqueUser('digest');
    await h.authorize(userId, [{ productId: A, accessUntil: inDays(2) }], { email: `${userId}@example.com` });
    await h.settings({ reminderDigestEmail: 'owner@example.com' });
    expect((await h.pass()).digest).toBe(true);
    expect((await h.pass()).digest).toBe(false);
    const digests = h.mailsTo('owner@example.com');
    expect(digests).toHaveLength(1);
    expect(digests[0].subject).toMatch(/^\d+ accesses on Playground Academy end within 7 days$/);
    expect(digests[0].text).toContain(`${TITLE_A} (customer ${userId})`);

    await h.settings({ reminderDays: 0 });
    const off = uniqueUser('off');
    await h.authorize(off, [{ productId: A, accessUntil: inDays(1) }], { email: `${off}@example.com` });
    expect(await h.pass()).toEqual({ reminded: 0, emailed: 0, failed: 0, digest: false });
    expect(h.eventsFor(off)).toEqual([]);
    expect(await h.row(off)).toMatchObject({ remindedFor: null, reminderOutcome: null });
  });

  it("claims the owner's digest for the day of the site's zone (setting syncTz): until its midnight, not UTC's", async () => {
    const userId = uniqueUser('zone');
    await h.authorize(userId, [{ productId: A, accessUntil: inDays(2) }], { email: `${userId}@example.com` });
    await h.settings({ reminderDigestEmail: 'owner@example.com', syncTz: 'Asia/Kolkata' });
    // An earlier test's digest holds today's claim: as if its day had ended.
    const leases = state.app.strapi.db.query(LEASE);
    await leases.update({ where: { name: 'reminder-digest' }, data: { owner: null, expiresAt: 0 } });
    const midnight = nextKolkataMidnight(Date.now());

    expect((await h.pass()).digest).toBe(true);
    const claimedUntil = Number((await leases.findOne({ where: { name: 'reminder-digest' } })).expiresAt);
    // The lease runs from the pass's start: it ends at that midnight plus the pass's own time, hours before any UTC midnight.
    expect(claimedUntil).toBeGreaterThanOrEqual(midnight);
    expect(claimedUntil - midnight).toBeLessThan(3_600_000);
    expect((await h.pass()).digest).toBe(false);
  });
});

describe('reminders without the email plugin configured', () => {
  const state = setUp(false);
  const h = helpers(state);

  it('announce the access once and send no email', async () => {
    const userId = uniqueUser('plain');
    await h.authorize(userId, [{ productId: A, accessUntil: inDays(3) }], { email: `${userId}@example.com` });
    expect(await h.pass()).toMatchObject({ reminded: 1, emailed: 0, failed: 0 });
    await h.pass();
    expect(h.eventsFor(userId)).toHaveLength(1);
    expect(state.mailbox.read()).toEqual([]);
    expect(await h.row(userId)).toMatchObject({ reminderOutcome: 'email-off' });
    expect(state.logs.lines.map((line) => line.text)).toContain('[osteocom] sent 1 expiring reminders, 0 emails, 0 failed (email plugin not configured: events only)');
    expect((await state.app.http.get('/osteocom/settings').set(h.auth())).body.data.values.reminderEmailAvailable).toBe(false);
  });

  it('delivers the event to a Strapi webhook subscribed to it, once, with ids and no personal data', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hook = await state.app.http.post('/admin/webhooks').set(h.auth()).send({ name: 'crm', url: receiver.url, headers: {}, events: [EVENT] });
      expect(hook.status).toBe(201);
      const userId = uniqueUser('hooked');
      await h.authorize(userId, [{ productId: B, accessUntil: inDays(1) }], { email: `${userId}@example.com`, name: 'Sara' });
      await h.pass();
      await h.pass();
      await waitFor('the webhook delivery', () => receiver.deliveries.some((delivery) => delivery.body.userId === userId));
      const mine = receiver.deliveries.filter((delivery) => delivery.body.userId === userId);
      expect(mine).toHaveLength(1);
      expect(mine[0].body).toMatchObject({ event: EVENT, userId, channelIds: [B], accessUntil: (await h.row(userId, B)).accessUntil, reminderDays: 7 });
      expect(mine[0].raw).not.toMatch(/example\.com|Sara/);
    } finally {
      await receiver.close();
    }
  });
});
