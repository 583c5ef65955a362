import { Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { Overview } from '../types';
import { DateTime } from './DateTime';
import { Detail } from './Detail';
import { Panel } from './Panel';

/** The next cron run, or why there is none. */
export const SchedulePanel = ({ overview }: { overview: Overview }) => {
  const t = useT();
  return (
    <Panel title={t('overview.schedule.title')}>
      {overview.syncEnabled && overview.nextSyncAt ? (
        <Detail label={t('overview.schedule.next')}>
          <DateTime value={overview.nextSyncAt} />
        </Detail>
      ) : (
        <Typography textColor="neutral600">
          {t(overview.syncEnabled ? 'overview.schedule.unscheduled' : 'overview.schedule.off')}
        </Typography>
      )}
    </Panel>
  );
};
