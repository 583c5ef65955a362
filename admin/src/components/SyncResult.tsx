import { Alert, Flex } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SyncRun } from '../types';
import { SyncCounts } from './SyncCounts';

const VARIANT = {
  succeeded: 'success',
  running: 'default',
  failed: 'danger',
  refused: 'warning',
} as const;

/** The run "Sync now" just finished: status, channel and video counts, or the error. */
export const SyncResult = ({ run }: { run: SyncRun }) => {
  const t = useT();
  const channels = run.stats?.channels;
  const videos = run.stats?.videos;
  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="sync-result">
      <Alert
        variant={VARIANT[run.status]}
        title={t(`syncResult.${run.status}`)}
        closeLabel={t('action.close')}
      >
        {run.error ??
          (channels
            ? t('syncResult.summary', {
                channels:
                  channels.created + channels.updated + channels.unchanged + channels.restored,
                videos: videos
                  ? videos.created + videos.updated + videos.unchanged + videos.restored
                  : 0,
              })
            : '')}
      </Alert>
      {channels ? <SyncCounts counts={channels} label={t('syncResult.channels')} /> : null}
      {videos ? <SyncCounts counts={videos} label={t('syncResult.videos')} /> : null}
      {!channels && run.status === 'succeeded' ? <SyncCounts counts={run} /> : null}
    </Flex>
  );
};
