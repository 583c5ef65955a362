import type { SettingsValues } from '../../../admin/src/types';
import { isCronRule } from '../../../shared/contracts/cron-rule';
import {
  emptyAuthorizeValues,
  hasErrors,
  parsePrice,
  settingsChanges,
  settingsFormFrom,
  toAuthorizeBody,
  validateAuthorize,
  validateSettings,
  type AuthorizeValues,
} from '../../../admin/src/utils/validation';

const valid = (over: Partial<AuthorizeValues> = {}): AuthorizeValues => ({
  ...emptyAuthorizeValues(),
  userId: 'shop-user-1',
  products: [{ productId: 'ch-1', price: '120' }],
  ...over,
});

describe('authorize validation', () => {
  it('accepts a minimal valid form', () => {
    expect(validateAuthorize(valid())).toEqual({});
  });

  it('flags control characters in names', () => {
    expect(validateAuthorize(valid({ name: 'Ann\u0007' })).name).toBe('validation.name.invalid');
    expect(validateAuthorize(valid({ surname: 'x'.repeat(101) })).surname).toBe('validation.name.tooLong');
  });

  it('requires a userId (blank is missing) and rejects control characters and overlong ids', () => {
    expect(validateAuthorize(valid({ userId: '   ' })).userId).toBe('validation.userId.required');
    expect(validateAuthorize(valid({ userId: 'a\u0007b' })).userId).toBe(
      'validation.userId.invalid'
    );
    expect(validateAuthorize(valid({ userId: 'x'.repeat(192) })).userId).toBe(
      'validation.userId.tooLong'
    );
    expect(validateAuthorize(valid({ userId: 'x'.repeat(191) })).userId).toBeUndefined();
  });

  it('requires an email when the Osteocom account does (not for the customer’s consent), and checks its format whenever given', () => {
    expect(validateAuthorize(valid({ marketingConsent: true })).email).toBeUndefined();
    expect(validateAuthorize(valid(), true).email).toBe('validation.email.required');
    expect(validateAuthorize(valid({ email: '   ' }), true).email).toBe(
      'validation.email.required'
    );
    expect(validateAuthorize(valid({ email: 'ann@example.com' }), true).email).toBeUndefined();
    expect(validateAuthorize(valid({ email: 'ann@example' })).email).toBe(
      'validation.email.invalid'
    );
    expect(validateAuthorize(valid({ email: 'ann@example.c' })).email).toBe(
      'validation.email.invalid'
    );
    expect(validateAuthorize(valid({ email: 'a nn@example.com' })).email).toBe(
      'validation.email.invalid'
    );
    expect(validateAuthorize(valid({ email: '' })).email).toBeUndefined();
  });

  it('requires at least one channel and at most fifty', () => {
    expect(validateAuthorize(valid({ products: [] })).products).toBe(
      'validation.products.required'
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ productId: `ch-${i}`, price: '1' }));
    expect(validateAuthorize(valid({ products: many })).products).toBe(
      'validation.products.tooMany'
    );
  });

  it('accepts whole prices from 0 and flags every other price by channel', () => {
    expect(parsePrice('0')).toBe(0);
    expect(parsePrice(' 150 ')).toBe(150);
    for (const bad of ['', '-1', '1.5', '1e3', 'abc']) expect(parsePrice(bad)).toBeNull();
    const errors = validateAuthorize(
      valid({
        products: [
          { productId: 'a', price: '10' },
          { productId: 'b', price: '9.99' },
          { productId: 'c', price: '' },
          { productId: 'd', price: '100000000' },
          { productId: 'e', price: '100000001' },
        ],
      })
    );
    expect(errors.prices).toEqual({ b: 'validation.price.invalid', c: 'validation.price.invalid', e: 'validation.price.invalid' });
    expect(hasErrors(errors)).toBe(true);
  });

  it('builds the request body: trimmed, numeric prices, empty optional fields left out', () => {
    expect(
      toAuthorizeBody(
        valid({
          userId: ' u1 ',
          email: ' ann@example.com ',
          name: ' ',
          surname: 'Rossi',
          products: [{ productId: 'ch-1', price: '0' }],
        })
      )
    ).toEqual({
      userId: 'u1',
      email: 'ann@example.com',
      surname: 'Rossi',
      products: [{ productId: 'ch-1', price: 0 }],
    });
  });

  it('sends an access end as ISO 8601 UTC, leaves it out when empty, and refuses one not in the future', () => {
    const until = new Date(Date.now() + 86_400_000);
    const products = [
      { productId: 'a', price: '1', accessUntil: until.toISOString() },
      { productId: 'b', price: '1', accessUntil: '' },
      { productId: 'c', price: '1' },
    ];
    expect(toAuthorizeBody(valid({ products })).products).toEqual([
      { productId: 'a', price: 1, accessUntil: until.toISOString() },
      { productId: 'b', price: 1 },
      { productId: 'c', price: 1 },
    ]);
    expect(validateAuthorize(valid({ products }))).toEqual({});
    const past = [
      { productId: 'a', price: '1', accessUntil: new Date(Date.now() - 1_000).toISOString() },
    ];
    expect(validateAuthorize(valid({ products: past })).accessUntil).toEqual({
      a: 'validation.accessUntil.past',
    });
  });

  it('states consent when ticked, withdraws it only when unticked from a given consent, else omits it', () => {
    expect(toAuthorizeBody(valid({ marketingConsent: true })).marketingConsent).toBe(true);
    expect(toAuthorizeBody(valid())).not.toHaveProperty('marketingConsent');
    expect(toAuthorizeBody(valid(), true).marketingConsent).toBe(false);
    expect(toAuthorizeBody(valid({ marketingConsent: true }), true).marketingConsent).toBe(true);
  });
});

describe('settings validation', () => {
  const initial: SettingsValues = {
    environment: 'test',
    baseUrl: null,
    clientId: 'client',
    clientSecretSet: true,
    syncEnabled: true,
    syncCron: '0 */6 * * *',
    syncTz: 'UTC',
    playerUrlTemplate: null,
    emailRequired: false,
    currency: 'EUR',
    reminderDays: 7,
    reminderLocale: 'en',
    reminderSubject: null,
    reminderBody: null,
    siteName: null,
    reminderDigestEmail: null,
    reminderEmailAvailable: false,
  };

  it('accepts the loaded values unchanged and sends nothing', () => {
    const form = settingsFormFrom(initial);
    expect(validateSettings(form)).toEqual({});
    expect(settingsChanges(initial, form)).toEqual({});
  });

  it('checks cron rules, time zones, URLs and the player template like the server', () => {
    expect(isCronRule('0 */6 * * *')).toBe(true);
    expect(isCronRule('*/30 * * * * *')).toBe(true);
    expect(isCronRule('0 6 * *')).toBe(false);
    expect(isCronRule('0 6 * * * * *')).toBe(false);
    // The server's range check too, so the form refuses what the server would.
    expect(isCronRule('99 * * * *')).toBe(false);
    expect(isCronRule('*/0 * * * *')).toBe(false);
    expect(isCronRule('30 2 * * MON-FRI')).toBe(true);
    expect(validateSettings({ ...settingsFormFrom(initial), syncTz: 'Europe/Rome' })).toEqual({});
    const form = {
      ...settingsFormFrom(initial),
      baseUrl: 'ftp://osteocom.test',
      syncCron: 'every day',
      syncTz: 'Nowhere/City',
      playerUrlTemplate: 'https://player.test/{videoId}',
    };
    expect(validateSettings(form)).toEqual({
      baseUrl: 'validation.baseUrl.invalid',
      syncCron: 'validation.syncCron.invalid',
      syncTz: 'validation.syncTz.invalid',
      playerUrlTemplate: 'validation.playerUrlTemplate.token',
    });
    expect(
      validateSettings({ ...form, playerUrlTemplate: 'player/{token}' }).playerUrlTemplate
    ).toBe('validation.playerUrlTemplate.url');
    // Typed in the admin: https only, as the server requires.
    expect(
      validateSettings({ ...form, playerUrlTemplate: 'http://player.test/{token}' }).playerUrlTemplate
    ).toBe('validation.playerUrlTemplate.url');
  });

  it('checks the reminder settings like the server, and sends only what changed (blank template: the default)', () => {
    const form = {
      ...settingsFormFrom(initial),
      reminderDays: '1.5',
      reminderSubject: 'Hi {{email}}',
      reminderBody: '{{name}}, {{ channel }} ends {{accessUntil}}',
      reminderDigestEmail: 'owner',
    };
    expect(validateSettings(form)).toEqual({
      reminderDays: 'validation.reminderDays.invalid',
      reminderSubject: 'validation.reminderTemplate.invalid',
      reminderDigestEmail: 'validation.reminderDigestEmail.invalid',
    });
    expect(validateSettings({ ...form, reminderDays: '366', reminderSubject: '', reminderDigestEmail: '' })).toEqual({ reminderDays: 'validation.reminderDays.invalid' });
    const fixed = { ...form, reminderDays: '0', reminderSubject: '  ', reminderDigestEmail: 'owner@example.com', reminderLocale: 'it' as const };
    expect(validateSettings(fixed)).toEqual({});
    expect(settingsChanges(initial, fixed)).toEqual({ reminderDays: 0, reminderLocale: 'it', reminderBody: '{{name}}, {{ channel }} ends {{accessUntil}}', reminderDigestEmail: 'owner@example.com' });
  });

  it('does not validate locked fields (they are not sent)', () => {
    const form = { ...settingsFormFrom(initial), syncCron: 'bad' };
    expect(validateSettings(form, ['syncCron'])).toEqual({});
  });

  it('sends only changed, unlocked fields; blank text clears', () => {
    const form = {
      ...settingsFormFrom(initial),
      environment: 'production' as const,
      baseUrl: 'https://api.osteocom.test',
      clientId: ' ',
      syncTz: 'Europe/Rome',
    };
    expect(settingsChanges(initial, form)).toEqual({
      environment: 'production',
      baseUrl: 'https://api.osteocom.test',
      clientId: null,
      syncTz: 'Europe/Rome',
    });
    expect(settingsChanges(initial, form, ['environment', 'baseUrl'])).toEqual({
      clientId: null,
      syncTz: 'Europe/Rome',
    });
  });

  it('sends the account’s email requirement when switched, never when locked', () => {
    const form = { ...settingsFormFrom(initial), emailRequired: true };
    expect(settingsChanges(initial, form)).toEqual({ emailRequired: true });
    expect(settingsChanges(initial, form, ['emailRequired'])).toEqual({});
    expect(settingsFormFrom({ ...initial, emailRequired: true }).emailRequired).toBe(true);
  });

  it('treats the secret as write-only: a typed value replaces it, "clear" removes it, nothing keeps it', () => {
    const form = settingsFormFrom(initial);
    expect(form.clientSecret).toBe('');
    expect(settingsChanges(initial, { ...form, clientSecret: ' new-secret ' })).toEqual({
      clientSecret: 'new-secret',
    });
    expect(settingsChanges(initial, { ...form, clearSecret: true })).toEqual({
      clientSecret: null,
    });
    expect(
      settingsChanges({ ...initial, clientSecretSet: false }, { ...form, clearSecret: true })
    ).toEqual({});
    expect(settingsChanges(initial, { ...form, clientSecret: 'x' }, ['clientSecret'])).toEqual({});
  });
});
