import { Flex, Typography } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { apiErrorOf } from '../api/errors';
import { useSubscribeWebhook, useWebhookEvents } from '../api/webhook-events';
import { useT } from '../hooks/useT';
import type { OsteocomEventName } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Panel } from './Panel';
import { WebhookSubscription } from './WebhookSubscription';

/**
 * Webhook events: subscribes Strapi's webhooks to the plugin's events, which Strapi's own
 * Settings → Webhooks page does not list. Stored in Strapi's webhook store, delivered by Strapi.
 */
export const WebhookEventsPanel = ({ canUpdate }: { canUpdate: boolean }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const list = useWebhookEvents();
  const [subscribe, { isLoading: saving, originalArgs }] = useSubscribeWebhook();

  const save = async (id: string, events: OsteocomEventName[]) => {
    try {
      await subscribe({ id, events }).unwrap();
      toggleNotification({ type: 'success', message: t('webhookEvents.saved') });
    } catch (error) {
      toggleNotification({ type: 'danger', title: t('webhookEvents.saveFailed'), message: apiErrorOf(error).message });
    }
  };

  const body = () => {
    if (list.error) return <ErrorAlert error={list.error} onRetry={list.refetch} />;
    if (!list.data) return <LoadingBlock />;
    const { events, webhooks } = list.data;
    if (!webhooks.length) return <Typography textColor="neutral600">{t('webhookEvents.none')}</Typography>;
    return webhooks.map((webhook) => (
      <WebhookSubscription
        key={JSON.stringify(webhook)}
        webhook={webhook}
        events={events}
        canUpdate={canUpdate}
        saving={saving && originalArgs?.id === webhook.id}
        onSave={(chosen) => save(webhook.id, chosen)}
      />
    ));
  };

  return (
    <Panel title={t('webhookEvents.title')}>
      <Typography textColor="neutral600">{t('webhookEvents.description')}</Typography>
      <Flex direction="column" alignItems="stretch" gap={3}>
        {body()}
      </Flex>
    </Panel>
  );
};
