import { Badge, Box, Button, Checkbox, Flex, Grid, Typography } from '@strapi/design-system';
import { useState } from 'react';
import { useT } from '../hooks/useT';
import type { OsteocomEventName, WebhookSubscription as Subscription } from '../types';

const sameEvents = (a: string[], b: string[]) => a.length === b.length && a.every((event) => b.includes(event));

/**
 * One Strapi webhook and the plugin events it receives: tick them and save. Keyed on the stored
 * webhook by its parent, so a save (or another admin's) starts it again from what is stored.
 */
export const WebhookSubscription = ({
  webhook,
  events,
  canUpdate,
  saving,
  onSave,
}: {
  webhook: Subscription;
  events: OsteocomEventName[];
  canUpdate: boolean;
  saving: boolean;
  onSave: (events: OsteocomEventName[]) => void;
}) => {
  const t = useT();
  const [chosen, setChosen] = useState<OsteocomEventName[]>(webhook.events);
  const toggle = (event: OsteocomEventName, on: boolean) =>
    setChosen((current) => (on ? events.filter((e) => e === event || current.includes(e)) : current.filter((e) => e !== event)));

  return (
    <Box padding={4} hasRadius borderColor="neutral200" tag="section" aria-label={webhook.name}>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between" gap={2}>
          <Flex gap={2}>
            <Typography fontWeight="bold">{webhook.name}</Typography>
            <Typography textColor="neutral600">{webhook.url}</Typography>
            {webhook.isEnabled ? null : <Badge>{t('webhookEvents.disabled')}</Badge>}
          </Flex>
          {canUpdate ? (
            <Button
              type="button"
              size="S"
              variant="secondary"
              onClick={() => onSave(chosen)}
              disabled={saving || sameEvents(chosen, webhook.events)}
              loading={saving}
            >
              {t('action.save')}
            </Button>
          ) : null}
        </Flex>
        <Grid.Root gap={2}>
          {events.map((event) => (
            <Grid.Item key={event} col={4} s={12}>
              <Checkbox
                checked={chosen.includes(event)}
                disabled={!canUpdate || saving}
                onCheckedChange={(checked) => toggle(event, checked === true)}
              >
                {event}
              </Checkbox>
            </Grid.Item>
          ))}
        </Grid.Root>
      </Flex>
    </Box>
  );
};
