import { Badge } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { AuditEvent } from '../types';

const VARIANTS = { success: 'success', pending: 'warning', failure: 'danger' } as const;

export const OutcomeBadge = ({ outcome }: { outcome: AuditEvent['outcome'] }) => {
  const t = useT();
  return <Badge variant={VARIANTS[outcome]}>{t(`outcome.${outcome}`)}</Badge>;
};
