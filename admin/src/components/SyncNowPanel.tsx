import { Alert, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { apiErrorOf } from '../api/errors';
import { useSyncNow } from '../api/overview';
import { useT } from '../hooks/useT';
import type { SyncRun } from '../types';
import { Panel } from './Panel';
import { SyncResult } from './SyncResult';

/** "Sync now": runs a manual sync, shows it running, then its result. */
export const SyncNowPanel = ({ onFinished }: { onFinished: () => void }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { mutate, isLoading } = useSyncNow();
  const [result, setResult] = useState<SyncRun | null>(null);
  const [alreadyRunning, setAlreadyRunning] = useState(false);

  const start = async () => {
    setResult(null);
    setAlreadyRunning(false);
    try {
      setResult(await mutate());
      onFinished();
    } catch (error) {
      const info = apiErrorOf(error);
      if (info.code === 'SYNC_ALREADY_RUNNING') {
        setAlreadyRunning(true);
        toggleNotification({ type: 'info', message: t('sync.alreadyRunning') });
      } else {
        toggleNotification({ type: 'danger', title: t('sync.failed'), message: info.message });
      }
      onFinished();
    }
  };

  return (
    <Panel
      title={t('sync.title')}
      action={
        <Button
          startIcon={<ArrowClockwise />}
          onClick={start}
          loading={isLoading}
          disabled={isLoading}
        >
          {t('sync.now')}
        </Button>
      }
    >
      <Typography textColor="neutral600">{t('sync.description')}</Typography>
      {isLoading ? (
        <Flex gap={3} role="status" aria-live="polite">
          <Loader small>{t('sync.running')}</Loader>
          <Typography>{t('sync.running')}</Typography>
        </Flex>
      ) : null}
      {alreadyRunning ? (
        <Alert
          variant="default"
          title={t('sync.alreadyRunning.title')}
          closeLabel={t('action.close')}
          onClose={() => setAlreadyRunning(false)}
        >
          {t('sync.alreadyRunning')}
        </Alert>
      ) : null}
      {result ? <SyncResult run={result} /> : null}
    </Panel>
  );
};
