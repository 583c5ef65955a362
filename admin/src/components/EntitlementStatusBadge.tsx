import { Badge } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { EntitlementStatus } from '../types';

const VARIANTS = {
  active: 'success',
  pending: 'warning',
  revoked: 'neutral',
  failed: 'danger',
  paused: 'secondary',
  scheduled: 'primary',
} as const;

export const EntitlementStatusBadge = ({ status }: { status: EntitlementStatus }) => {
  const t = useT();
  return <Badge variant={VARIANTS[status]}>{t(`entitlementStatus.${status}`)}</Badge>;
};
