import { Badge } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SyncStatus } from '../types';

const VARIANTS = {
  running: 'secondary',
  succeeded: 'success',
  failed: 'danger',
  refused: 'warning',
} as const;

export const SyncStatusBadge = ({ status }: { status: SyncStatus }) => {
  const t = useT();
  return <Badge variant={VARIANTS[status]}>{t(`syncStatus.${status}`)}</Badge>;
};
