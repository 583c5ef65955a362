import { Badge } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { Environment } from '../types';

/** TEST (no real sales) in amber, PRODUCTION in green. */
export const EnvironmentBadge = ({ environment }: { environment: Environment }) => {
  const t = useT();
  return (
    <Badge
      size="M"
      variant={environment === 'production' ? 'success' : 'warning'}
      data-testid="environment-badge"
    >
      {t(environment === 'production' ? 'environment.production' : 'environment.test')}
    </Badge>
  );
};
