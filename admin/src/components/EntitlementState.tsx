import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { useT } from '../hooks/useT';
import type { Entitlement } from '../types';
import { isOpen } from '../utils/entitlementState';
import { describe } from '../utils/plainLanguage';
import { DateTime } from './DateTime';
import { EntitlementStatusBadge } from './EntitlementStatusBadge';

/**
 * An entitlement's state in words (translations `plain.*`): what it means for the customer, why
 * the last call did not go through, whether Osteocom may hold something else and when the next
 * automatic attempt is. The raw code, Osteocom's own message and the failed attempts stay in a
 * "Details for support" disclosure.
 */
export const EntitlementState = ({ entitlement }: { entitlement: Entitlement }) => {
  const t = useT();
  const { formatDate } = useIntl();
  const plain = describe(entitlement);
  const open = isOpen(entitlement);
  const showDetails =
    open && (entitlement.lastErrorCode || entitlement.lastError || entitlement.attempts);
  return (
    <Flex
      direction="column"
      alignItems="flex-start"
      gap={1}
      maxWidth="40rem"
      style={{ whiteSpace: 'normal' }}
      data-testid="entitlement-state"
      data-state={plain.state}
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
      <Typography variant="pi" textColor="neutral800" data-testid="plain-state">
        {t(plain.headline)}
      </Typography>
      {plain.reason ? (
        <Typography variant="pi" textColor="danger600" data-testid="plain-reason">
          {t(plain.reason)}
        </Typography>
      ) : null}
      {plain.reconcile ? (
        <Typography variant="pi" textColor="warning600" data-testid="plain-reconcile">
          {t(plain.reconcile)}
        </Typography>
      ) : null}
      {plain.retry ? (
        <Typography variant="pi" textColor="neutral600" data-testid="plain-retry">
          {t('plain.retry', {
            time: formatDate(plain.retry.at, { dateStyle: 'medium', timeStyle: 'short' }),
            attempt: plain.retry.attempt,
          })}
        </Typography>
      ) : null}
      {showDetails ? (
        <Box tag="details" data-testid="plain-details">
          <Typography
            tag="summary"
            variant="pi"
            textColor="neutral600"
            style={{ cursor: 'pointer' }}
          >
            {t('plain.details')}
          </Typography>
          <Flex direction="column" alignItems="flex-start" paddingTop={1}>
            {entitlement.lastErrorCode ? (
              <Typography variant="pi" textColor="neutral600" data-testid="last-error-code">
                {t('plain.detailsCode', { code: entitlement.lastErrorCode })}
              </Typography>
            ) : null}
            {entitlement.lastError ? (
              <Typography variant="pi" textColor="neutral600" data-testid="last-error">
                {t('plain.detailsMessage', { message: entitlement.lastError })}
              </Typography>
            ) : null}
            <Typography variant="pi" textColor="neutral600" data-testid="failed-attempts">
              {t('plain.detailsAttempts', { attempts: entitlement.attempts ?? 0 })}
            </Typography>
          </Flex>
        </Box>
      ) : null}
    </Flex>
  );
};
