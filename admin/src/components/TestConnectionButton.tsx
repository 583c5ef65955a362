import { Alert, Button, Flex, Typography } from '@strapi/design-system';
import { Lightning } from '@strapi/icons';
import { useState } from 'react';
import { apiErrorOf } from '../api/errors';
import { useTestConnection } from '../api/settings';
import { useT } from '../hooks/useT';

type Outcome =
  | { ok: true; baseUrl?: string; environment: string; latencyMs: number }
  | { ok: false; message: string };

/** Logs in to Osteocom with the saved settings and says how it went. */
export const TestConnectionButton = ({ unsaved }: { unsaved: boolean }) => {
  const t = useT();
  const [testConnection, { isLoading }] = useTestConnection();
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async () => {
    setOutcome(null);
    try {
      setOutcome(await testConnection().unwrap());
    } catch (error) {
      setOutcome({ ok: false, message: apiErrorOf(error).message });
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex gap={3}>
        <Button
          variant="secondary"
          startIcon={<Lightning />}
          onClick={run}
          loading={isLoading}
          disabled={isLoading}
        >
          {t('settings.testConnection')}
        </Button>
        {unsaved ? (
          <Typography variant="pi" textColor="neutral600">
            {t('settings.testConnection.savedOnly')}
          </Typography>
        ) : null}
      </Flex>
      {outcome ? (
        <Alert
          variant={outcome.ok ? 'success' : 'danger'}
          title={t(outcome.ok ? 'settings.testConnection.ok' : 'settings.testConnection.failed')}
          closeLabel={t('action.close')}
          onClose={() => setOutcome(null)}
          data-testid="connection-result"
        >
          {outcome.ok
            ? t('settings.testConnection.details', {
                baseUrl: outcome.baseUrl ?? '–',
                environment: outcome.environment,
                ms: outcome.latencyMs,
              })
            : outcome.message}
        </Alert>
      ) : null}
    </Flex>
  );
};
