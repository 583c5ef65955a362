import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { SettingsForm } from '../../../admin/src/components/SettingsForm';
import type { SettingKey, SettingsValues } from '../../../admin/src/types';
import {
  settingsChanges,
  settingsFormFrom,
  type SettingsFormValues,
} from '../../../admin/src/utils/validation';
import { renderWithProviders } from './render';

const saved: SettingsValues = {
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

/** As the server says: the locked keys from config, the rest typed by an admin. */
const sources = (locked: SettingKey[]) =>
  Object.fromEntries(Object.keys(settingsFormFrom(saved)).filter((key) => key !== 'clearSecret').map((key) => [key, locked.includes(key as SettingKey) ? 'config' : 'admin'])) as Record<
    SettingKey,
    'config' | 'admin' | 'default'
  >;

/** The form as SettingsPage holds it; `changes` reports what a save would send. */
const setup = (locked: SettingKey[] = [], canUpdate = true) => {
  const changes = jest.fn();
  const Harness = () => {
    const [form, setForm] = useState<SettingsFormValues>(settingsFormFrom(saved));
    return (
      <SettingsForm
        form={form}
        onChange={(next) => {
          setForm(next);
          changes(settingsChanges(saved, next, locked));
        }}
        errors={{}}
        locked={locked}
        sources={sources(locked)}
        clientSecretSet
        clearsSecret={false}
        canUpdate={canUpdate}
      />
    );
  };
  renderWithProviders(<Harness />);
  return { changes, user: userEvent.setup() };
};

const emailToggle = () =>
  screen.getByRole('checkbox', { name: 'The account requires an email' }) as HTMLInputElement;

describe('SettingsForm: the account’s email requirement', () => {
  it('is a toggle with a one-line help; switching it on is sent as emailRequired', async () => {
    const { changes, user } = setup();
    expect(emailToggle().checked).toBe(false);
    expect(screen.getByText(/Turn on if marketing consent is enabled/)).toBeTruthy();
    await user.click(emailToggle());
    expect(emailToggle().checked).toBe(true);
    expect(changes).toHaveBeenLastCalledWith({ emailRequired: true });
  });

  it('is read-only and says where it is set when config or the environment sets it', async () => {
    const { changes, user } = setup(['emailRequired']);
    expect(emailToggle().disabled).toBe(true);
    expect(screen.queryByText(/Turn on if marketing consent is enabled/)).toBeNull();
    // The sync toggle is not locked, so exactly one "locked" note: the email setting's.
    expect(screen.getAllByText('Set in config/plugins.ts or an environment variable')).toHaveLength(
      1
    );
    await user.click(emailToggle()).catch(() => undefined);
    expect(changes).not.toHaveBeenCalled();
  });

  it('is read-only without settings.update', () => {
    setup([], false);
    expect(emailToggle().disabled).toBe(true);
  });
});

describe('SettingsForm: where each connection value comes from', () => {
  it('names config/env for a locked key and the admin for a typed one', () => {
    setup(['clientSecret', 'clientId']);
    expect(screen.getByTestId('setting-source-clientSecret').textContent).toBe('Client secret: config/plugins.ts or an environment variable');
    expect(screen.getByTestId('setting-source-baseUrl').textContent).toBe('API base URL: typed here by an admin');
  });
});

describe('SettingsForm: reminders', () => {
  it('shows the default template of the language as the greyed text, says email is off, and sends what was typed', async () => {
    const { changes, user } = setup();
    expect(screen.getByTestId('reminder-email').textContent).toContain('reminders are announced as events only');
    const subject = screen.getByRole('textbox', { name: 'Email subject' }) as HTMLInputElement;
    expect(subject.placeholder).toBe('Your access to {{channel}} ends on {{accessUntil}}');
    expect(screen.getByText(/\{\{name\}\}, \{\{surname\}\}, \{\{channel\}\}, \{\{accessUntil\}\}, \{\{daysLeft\}\}, \{\{siteName\}\}/)).toBeTruthy();
    const days = screen.getByRole('textbox', { name: 'Days before the end' }) as HTMLInputElement;
    await user.clear(days);
    await user.type(days, '3');
    await user.type(subject, 'Ends soon');
    expect(changes).toHaveBeenLastCalledWith({ reminderDays: 3, reminderSubject: 'Ends soon' });
  });
});
