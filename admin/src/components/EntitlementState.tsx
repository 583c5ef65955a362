import { Badge, Flex, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { Entitlement } from '../types';
import { isOpen } from '../utils/entitlementState';
import { DateTime } from './DateTime';
import { EntitlementStatusBadge } from './EntitlementStatusBadge';

/**
 * An entitlement's status, whether Osteocom may hold another state, what is still unconfirmed
 * and why the last call did not go through (its code and message, as Osteocom said it).
 */
export const EntitlementState = ({ entitlement }: { entitlement: Entitlement }) => {
  const t = useT();
  const open = isOpen(entitlement);
  return (
    <Flex
      direction="column"
      alignItems="flex-start"
      gap={1}
      maxWidth="40rem"
      style={{ whiteSpace: 'normal' }}
    >
      <Flex gap={1} wrap="wrap">
        <EntitlementStatusBadge status={entitlement.status} />
        {entitlement.needsReconciliation ? (
          <Badge variant="warning" data-testid="needs-reconciliation">
            {t('entitlements.needsReconciliation')}
          </Badge>
        ) : null}
      </Flex>
      {entitlement.status === 'paused' && entitlement.pausedAt ? (
        <Typography variant="pi" textColor="neutral600" data-testid="paused-since">
          {t('entitlements.pausedSince')} <DateTime value={entitlement.pausedAt} />
        </Typography>
      ) : null}
      {entitlement.status === 'scheduled' && entitlement.accessFrom ? (
        <Typography variant="pi" textColor="neutral600" data-testid="starts-at">
          {t('entitlements.startsAt')} <DateTime value={entitlement.accessFrom} />
        </Typography>
      ) : null}
      {entitlement.pendingOperation === 'revoke' ? (
        <Typography variant="pi" textColor="warning600">
          {t('entitlements.revocationPending')}
        </Typography>
      ) : null}
      {entitlement.pendingOperation === 'authorize' && entitlement.status === 'active' ? (
        <Typography variant="pi" textColor="warning600">
          {t('entitlements.confirmationPending')}
        </Typography>
      ) : null}
      {open && entitlement.lastError ? (
        <Typography variant="pi" textColor="danger600" data-testid="last-error">
          {entitlement.lastErrorCode ? (
            <Typography variant="pi" fontWeight="bold" data-testid="last-error-code">
              {entitlement.lastErrorCode}
            </Typography>
          ) : null}
          {entitlement.lastErrorCode ? ' · ' : null}
          {t('entitlements.lastError', { error: entitlement.lastError })}
        </Typography>
      ) : null}
      {open && entitlement.nextAttemptAt && entitlement.status !== 'scheduled' ? (
        <Typography variant="pi" textColor="neutral600">
          {t('entitlements.nextAttempt', { attempts: entitlement.attempts ?? 0 })}{' '}
          <DateTime value={entitlement.nextAttemptAt} />
        </Typography>
      ) : null}
    </Flex>
  );
};
