import { Alert, Button, Flex, Loader, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { useSyncCatalog } from '../hooks/useSyncCatalog';
import { useT } from '../hooks/useT';
import { Panel } from './Panel';
import { SyncResult } from './SyncResult';

/** "Sync now": runs a manual sync, shows it running, then its result. */
export const SyncNowPanel = () => {
  const t = useT();
  const { start, isLoading, result, alreadyRunning, dismissAlreadyRunning } = useSyncCatalog();

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
          onClose={dismissAlreadyRunning}
        >
          {t('sync.alreadyRunning')}
        </Alert>
      ) : null}
      {result ? <SyncResult run={result} /> : null}
    </Panel>
  );
};
