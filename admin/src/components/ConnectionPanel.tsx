import { Badge, Flex, Link } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { useT } from '../hooks/useT';
import type { Overview } from '../types';
import { Detail } from './Detail';
import { EnvironmentBadge } from './EnvironmentBadge';
import { Panel } from './Panel';

/** Environment, credentials, schedule switch and catalog size. */
export const ConnectionPanel = ({
  overview,
  channelCount,
  canReadSettings,
}: {
  overview: Overview;
  channelCount?: number;
  canReadSettings: boolean;
}) => {
  const t = useT();
  return (
    <Panel title={t('overview.connection.title')}>
      <Flex gap={8} wrap="wrap" alignItems="flex-start">
        <Detail label={t('overview.environment')}>
          <EnvironmentBadge environment={overview.environment} />
        </Detail>
        <Detail label={t('overview.connection.state')}>
          <Badge
            variant={overview.configured ? 'success' : 'danger'}
            data-testid="connection-state"
          >
            {t(
              overview.configured
                ? 'overview.connection.configured'
                : 'overview.connection.notConfigured'
            )}
          </Badge>
        </Detail>
        <Detail label={t('overview.autoSync')}>
          {t(overview.syncEnabled ? 'common.on' : 'common.off')}
        </Detail>
        <Detail label={t('overview.channelCount')}>
          <span data-testid="channel-count">{channelCount ?? '–'}</span>
        </Detail>
      </Flex>
      {!overview.configured && canReadSettings ? (
        <Link tag={NavLink} to="/settings/osteocom">
          {t('overview.connection.configure')}
        </Link>
      ) : null}
    </Panel>
  );
};
