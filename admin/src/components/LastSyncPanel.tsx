import { Flex, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SyncRun } from '../types';
import { DateTime } from './DateTime';
import { Detail } from './Detail';
import { Panel } from './Panel';
import { SyncCounts } from './SyncCounts';
import { SyncStatusBadge } from './SyncStatusBadge';

/** When the last finished sync ran, how it ended and what it changed. */
export const LastSyncPanel = ({ run }: { run: SyncRun | null }) => {
  const t = useT();
  return (
    <Panel title={t('overview.lastSync.title')}>
      {run ? (
        <Flex direction="column" alignItems="stretch" gap={4} data-testid="last-sync">
          <Flex gap={8} wrap="wrap" alignItems="flex-start">
            <Detail label={t('overview.lastSync.finishedAt')}>
              <DateTime value={run.finishedAt ?? run.startedAt} />
            </Detail>
            <Detail label={t('overview.lastSync.result')}>
              <SyncStatusBadge status={run.status} />
            </Detail>
            <Detail label={t('overview.lastSync.trigger')}>{t(`trigger.${run.trigger}`)}</Detail>
            <Detail label={t('overview.lastSync.duration')}>
              {run.durationMs != null
                ? t('common.seconds', { value: (run.durationMs / 1000).toFixed(1) })
                : '–'}
            </Detail>
          </Flex>
          {run.stats?.channels ? (
            <>
              <SyncCounts counts={run.stats.channels} label={t('syncResult.channels')} />
              {run.stats.videos ? (
                <SyncCounts counts={run.stats.videos} label={t('syncResult.videos')} />
              ) : null}
            </>
          ) : (
            <SyncCounts counts={run} />
          )}
          {run.error ? (
            <Typography textColor="danger600" variant="pi">
              {run.error}
            </Typography>
          ) : null}
        </Flex>
      ) : (
        <Typography textColor="neutral600">{t('overview.lastSync.never')}</Typography>
      )}
    </Panel>
  );
};
