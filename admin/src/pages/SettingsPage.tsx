import { Box, Button } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useState, type FormEvent } from 'react';
import { apiErrorOf } from '../api/errors';
import { useSaveSettings, useSettings } from '../api/settings';
import { SettingsForm } from '../components/SettingsForm';
import { TestConnectionButton } from '../components/TestConnectionButton';
import { WebhookEventsPanel } from '../components/WebhookEventsPanel';
import { usePermissions } from '../hooks/usePermissions';
import { useT } from '../hooks/useT';
import { PERMISSIONS } from '../permissions';
import type { SettingsReply } from '../types';
import {
  clearsSecret,
  hasErrors,
  settingsChanges,
  settingsFormFrom,
  validateSettings,
} from '../utils/validation';

/**
 * Edits one loaded version of the settings; saving sends only changed, unlocked fields, and the
 * saved settings replace the cached ones (a new version: the editor is keyed on it).
 */
const SettingsEditor = ({ reply }: { reply: SettingsReply }) => {
  const t = useT();
  const { canUpdateSettings } = usePermissions();
  const { toggleNotification } = useNotification();
  const [save, { isLoading: saving }] = useSaveSettings();
  const [form, setForm] = useState(() => settingsFormFrom(reply.values));
  const [attempted, setAttempted] = useState(false);
  const errors = validateSettings(form, reply.locked);
  const changes = settingsChanges(reply.values, form, reply.locked);
  const dirty = Object.keys(changes).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAttempted(true);
    if (hasErrors(errors) || !dirty) return;
    try {
      await save(changes).unwrap();
      toggleNotification({ type: 'success', message: t('settings.saved') });
    } catch (error) {
      toggleNotification({
        type: 'danger',
        title: t('settings.saveFailed'),
        message: apiErrorOf(error).message,
      });
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Layouts.Header
        title={t('settings.title')}
        subtitle={t('settings.subtitle')}
        primaryAction={
          <Button
            type="submit"
            startIcon={<Check />}
            disabled={!canUpdateSettings || !dirty || saving}
            loading={saving}
          >
            {t('action.save')}
          </Button>
        }
      />
      <Layouts.Content>
        <SettingsForm
          form={form}
          onChange={setForm}
          errors={attempted ? errors : {}}
          locked={reply.locked}
          sources={reply.sources}
          clientSecretSet={reply.values.clientSecretSet}
          clearsSecret={clearsSecret(reply.values, form, reply.locked)}
          canUpdate={canUpdateSettings}
          connectionAction={<TestConnectionButton unsaved={dirty} />}
          reminderEmailAvailable={reply.values.reminderEmailAvailable}
        />
      </Layouts.Content>
    </form>
  );
};

const SettingsView = () => {
  const t = useT();
  const { canUpdateSettings } = usePermissions();
  const settings = useSettings();
  const reply = settings.data;
  if (!reply) return settings.error ? <Page.Error /> : <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>{t('settings.title')}</Page.Title>
      <SettingsEditor key={JSON.stringify(reply)} reply={reply} />
      {/* Outside the settings form: it saves each webhook on its own. */}
      <Layouts.Content>
        <Box paddingTop={6}>
          <WebhookEventsPanel canUpdate={canUpdateSettings} />
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
};

/** Settings → Osteocom. */
const SettingsPage = () => (
  <Page.Protect permissions={PERMISSIONS.settingsRead}>
    <SettingsView />
  </Page.Protect>
);

export default SettingsPage;
