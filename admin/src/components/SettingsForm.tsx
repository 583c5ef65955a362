import { Alert, Field, Flex, Grid, SingleSelect, SingleSelectOption, Textarea, Typography } from '@strapi/design-system';
import type { ReactNode } from 'react';
import { DEFAULT_REMINDER_TEMPLATES, REMINDER_LOCALES, REMINDER_PLACEHOLDERS } from '../../../shared/contracts/reminders';
import { useT } from '../hooks/useT';
import type { SettingKey, SettingSource } from '../types';
import type { SettingsErrors, SettingsFormValues } from '../utils/validation';
import { Panel } from './Panel';
import { SecretField } from './SecretField';
import { SettingSources } from './SettingSources';
import { TextSetting } from './TextSetting';
import { ToggleSetting } from './ToggleSetting';

export interface SettingsFormProps {
  form: SettingsFormValues;
  onChange: (form: SettingsFormValues) => void;
  errors: SettingsErrors;
  locked: readonly SettingKey[];
  /** Where each value comes from (config/env, an admin, the default). */
  sources: Record<SettingKey, SettingSource>;
  clientSecretSet: boolean;
  /** Saving now would drop the stored secret (a new environment or base URL without a new secret). */
  clearsSecret: boolean;
  /** Without settings.update every field is read-only. */
  canUpdate: boolean;
  /** Shown under the credentials (the "Test connection" button). */
  connectionAction?: ReactNode;
  /** Strapi's email plugin is configured: reminders are also emailed. */
  reminderEmailAvailable?: boolean;
}

/** Connection, credentials, schedule, the account's email rule and player URL; locked fields are read-only with a note. */
export const SettingsForm = ({
  form,
  onChange,
  errors,
  locked,
  sources,
  clientSecretSet,
  clearsSecret,
  canUpdate,
  connectionAction,
  reminderEmailAvailable = false,
}: SettingsFormProps) => {
  const t = useT();
  const disabled = !canUpdate;
  const isLocked = (key: SettingKey) => locked.includes(key);
  const set = <K extends keyof SettingsFormValues>(key: K, value: SettingsFormValues[K]) =>
    onChange({ ...form, [key]: value });
  const error = (key: keyof SettingsFormValues) => (errors[key] ? t(errors[key]) : undefined);

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Panel title={t('settings.connection')}>
        <Grid.Root gap={5}>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="environment"
              hint={t(isLocked('environment') ? 'settings.locked' : 'settings.environment.hint')}
            >
              <Field.Label>{t('settings.environment')}</Field.Label>
              <SingleSelect
                value={form.environment}
                disabled={disabled || isLocked('environment')}
                onChange={(value: string | number) =>
                  set('environment', value === 'production' ? 'production' : 'test')
                }
              >
                <SingleSelectOption value="test">{t('environment.test')}</SingleSelectOption>
                <SingleSelectOption value="production">
                  {t('environment.production')}
                </SingleSelectOption>
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="baseUrl"
              label={t('settings.baseUrl')}
              hint={t('settings.baseUrl.hint')}
              placeholder="https://…"
              value={form.baseUrl}
              onChange={(value) => set('baseUrl', value)}
              locked={isLocked('baseUrl')}
              disabled={disabled}
              error={error('baseUrl')}
            />
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="clientId"
              label={t('settings.clientId')}
              value={form.clientId}
              onChange={(value) => set('clientId', value)}
              locked={isLocked('clientId')}
              disabled={disabled}
              error={error('clientId')}
            />
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <SecretField
              isSet={clientSecretSet}
              value={form.clientSecret}
              clear={form.clearSecret}
              onChange={(value) => set('clientSecret', value)}
              onClearChange={(clear) => set('clearSecret', clear)}
              disabled={disabled}
              locked={isLocked('clientSecret')}
              error={error('clientSecret')}
            />
          </Grid.Item>
        </Grid.Root>
        <SettingSources sources={sources} />
        {clearsSecret ? (
          <Alert variant="warning" closeLabel={t('action.close')} data-testid="secret-follows-host">
            {t('settings.clientSecret.followsHost')}
          </Alert>
        ) : null}
        {connectionAction}
      </Panel>
      <Panel title={t('settings.sync')}>
        <Grid.Root gap={5}>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <ToggleSetting
              name="syncEnabled"
              label={t('settings.syncEnabled')}
              hint={t('settings.syncEnabled.hint')}
              checked={form.syncEnabled}
              onChange={(checked) => set('syncEnabled', checked)}
              locked={isLocked('syncEnabled')}
              disabled={disabled}
            />
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="syncCron"
              label={t('settings.syncCron')}
              hint={t('settings.syncCron.hint')}
              value={form.syncCron}
              onChange={(value) => set('syncCron', value)}
              locked={isLocked('syncCron')}
              disabled={disabled}
              error={error('syncCron')}
            />
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="syncTz"
              label={t('settings.syncTz')}
              hint={t('settings.syncTz.hint')}
              value={form.syncTz}
              onChange={(value) => set('syncTz', value)}
              locked={isLocked('syncTz')}
              disabled={disabled}
              error={error('syncTz')}
            />
          </Grid.Item>
        </Grid.Root>
      </Panel>
      <Panel title={t('settings.customers')}>
        <Grid.Root gap={5}>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <ToggleSetting
              name="emailRequired"
              label={t('settings.emailRequired')}
              hint={t('settings.emailRequired.hint')}
              checked={form.emailRequired}
              onChange={(checked) => set('emailRequired', checked)}
              locked={isLocked('emailRequired')}
              disabled={disabled}
            />
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="currency"
              label={t('settings.currency')}
              hint={t('settings.currency.hint')}
              value={form.currency}
              onChange={(value) => set('currency', value)}
              locked={isLocked('currency')}
              disabled={disabled}
              error={error('currency')}
            />
          </Grid.Item>
        </Grid.Root>
      </Panel>
      <Panel title={t('settings.reminders')}>
        <Typography textColor="neutral600">
          {t('settings.reminders.description', { placeholders: REMINDER_PLACEHOLDERS.map((name) => `{{${name}}}`).join(', ') })}
        </Typography>
        <Alert variant={reminderEmailAvailable ? 'success' : 'default'} closeLabel={t('action.close')} data-testid="reminder-email">
          {t(reminderEmailAvailable ? 'settings.reminders.emailOn' : 'settings.reminders.emailOff')}
        </Alert>
        <Grid.Root gap={5}>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="reminderDays"
              label={t('settings.reminderDays')}
              hint={t('settings.reminderDays.hint')}
              value={form.reminderDays}
              onChange={(value) => set('reminderDays', value)}
              locked={isLocked('reminderDays')}
              disabled={disabled}
              error={error('reminderDays')}
            />
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root name="reminderLocale" hint={t(isLocked('reminderLocale') ? 'settings.locked' : 'settings.reminderLocale.hint')}>
              <Field.Label>{t('settings.reminderLocale')}</Field.Label>
              <SingleSelect
                value={form.reminderLocale}
                disabled={disabled || isLocked('reminderLocale')}
                onChange={(value: string | number) => set('reminderLocale', value === 'it' ? 'it' : 'en')}
              >
                {REMINDER_LOCALES.map((locale) => (
                  <SingleSelectOption key={locale} value={locale}>
                    {t(`reminderLocale.${locale}`)}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="siteName"
              label={t('settings.siteName')}
              hint={t('settings.siteName.hint', { placeholder: '{{siteName}}' })}
              value={form.siteName}
              onChange={(value) => set('siteName', value)}
              locked={isLocked('siteName')}
              disabled={disabled}
              error={error('siteName')}
            />
          </Grid.Item>
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <TextSetting
              name="reminderSubject"
              label={t('settings.reminderSubject')}
              hint={t('settings.reminderTemplate.hint')}
              placeholder={DEFAULT_REMINDER_TEMPLATES[form.reminderLocale].subject}
              value={form.reminderSubject}
              onChange={(value) => set('reminderSubject', value)}
              locked={isLocked('reminderSubject')}
              disabled={disabled}
              error={error('reminderSubject')}
            />
          </Grid.Item>
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <Field.Root name="reminderBody" error={error('reminderBody')} hint={t('settings.reminderTemplate.hint')}>
              <Field.Label>{t('settings.reminderBody')}</Field.Label>
              <Textarea
                value={form.reminderBody}
                placeholder={DEFAULT_REMINDER_TEMPLATES[form.reminderLocale].body}
                disabled={disabled || isLocked('reminderBody')}
                rows={7}
                onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => set('reminderBody', event.target.value)}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <TextSetting
              name="reminderDigestEmail"
              label={t('settings.reminderDigestEmail')}
              hint={t('settings.reminderDigestEmail.hint')}
              placeholder="owner@example.com"
              value={form.reminderDigestEmail}
              onChange={(value) => set('reminderDigestEmail', value)}
              locked={isLocked('reminderDigestEmail')}
              disabled={disabled}
              error={error('reminderDigestEmail')}
            />
          </Grid.Item>
        </Grid.Root>
      </Panel>
      <Panel title={t('settings.player')}>
        <TextSetting
          name="playerUrlTemplate"
          label={t('settings.playerUrlTemplate')}
          hint={t('settings.playerUrlTemplate.hint')}
          placeholder="https://player.example.com/{videoId}?token={token}"
          value={form.playerUrlTemplate}
          onChange={(value) => set('playerUrlTemplate', value)}
          locked={isLocked('playerUrlTemplate')}
          disabled={disabled}
          error={error('playerUrlTemplate')}
        />
      </Panel>
    </Flex>
  );
};
