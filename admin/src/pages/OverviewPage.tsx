import { Grid } from '@strapi/design-system';
import { useChannels } from '../api/catalog';
import { useOverview } from '../api/overview';
import { ConnectionPanel } from '../components/ConnectionPanel';
import { EncryptionPanel } from '../components/EncryptionPanel';
import { ExpiringSoonPanel } from '../components/ExpiringSoonPanel';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { LastSyncPanel } from '../components/LastSyncPanel';
import { NeedsAttentionPanel } from '../components/NeedsAttentionPanel';
import { SchedulePanel } from '../components/SchedulePanel';
import { SyncNowPanel } from '../components/SyncNowPanel';
import { usePermissions } from '../hooks/usePermissions';

const AVAILABLE = { page: 1, pageSize: 1, status: 'available' as const };

/** Environment, connection, last and next sync, what needs attention, what expires soon; "Sync now" for those allowed to. */
export const OverviewPage = () => {
  const { canSync, canAuthorize, canRevoke, canReadSettings, canRotateKeys } = usePermissions();
  const overview = useOverview();
  const channels = useChannels(AVAILABLE);

  if (!overview.data) {
    return overview.error ? (
      <ErrorAlert error={overview.error} onRetry={overview.refetch} />
    ) : (
      <LoadingBlock />
    );
  }

  return (
    <Grid.Root gap={4}>
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <ConnectionPanel
          overview={overview.data}
          channelCount={channels.data?.pagination.total}
          canReadSettings={canReadSettings}
        />
      </Grid.Item>
      <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
        <SchedulePanel overview={overview.data} />
      </Grid.Item>
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <NeedsAttentionPanel permissions={{ canAuthorize, canRevoke }} />
      </Grid.Item>
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <ExpiringSoonPanel />
      </Grid.Item>
      {canSync ? (
        <Grid.Item col={12} direction="column" alignItems="stretch">
          <SyncNowPanel />
        </Grid.Item>
      ) : null}
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <LastSyncPanel run={overview.data.lastRun} />
      </Grid.Item>
      <Grid.Item col={12} direction="column" alignItems="stretch">
        <EncryptionPanel canRotate={canRotateKeys} />
      </Grid.Item>
    </Grid.Root>
  );
};
