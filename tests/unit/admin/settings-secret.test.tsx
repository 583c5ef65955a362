import type { SettingsValues } from '../../../admin/src/types';
import { clearsSecret, settingsFormFrom, validateSettings } from '../../../admin/src/utils/validation';

/** The form warns before a save that would drop the stored secret (it follows its host). */
describe('settings form: the secret follows its host', () => {
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
  const form = settingsFormFrom(initial);

  it('warns when the environment or the base URL changes without a new secret', () => {
    expect(clearsSecret(initial, { ...form, environment: 'production' })).toBe(true);
    expect(clearsSecret(initial, { ...form, baseUrl: 'https://proxy.example.com/sv6' })).toBe(true);
  });

  it('does not warn with a new secret, with no secret stored, for other fields, or when the secret is locked', () => {
    expect(clearsSecret(initial, { ...form, environment: 'production', clientSecret: 'new-secret' })).toBe(false);
    expect(clearsSecret({ ...initial, clientSecretSet: false }, { ...form, environment: 'production' })).toBe(false);
    expect(clearsSecret(initial, { ...form, syncTz: 'Europe/Rome', clientId: 'other' })).toBe(false);
    expect(clearsSecret(initial, { ...form, environment: 'production' }, ['clientSecret'])).toBe(false);
  });

  it('takes https:// base URLs only', () => {
    expect(validateSettings({ ...form, baseUrl: 'http://127.0.0.1:4010/sv6' }).baseUrl).toBe('validation.baseUrl.invalid');
    expect(validateSettings({ ...form, baseUrl: 'https://proxy.example.com/sv6' }).baseUrl).toBeUndefined();
  });
});
