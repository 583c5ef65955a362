import { Button, Flex, Link, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise } from '@strapi/icons';
import { NavLink } from 'react-router-dom';
import { useT } from '../hooks/useT';
import type { ListedEntitlement } from '../types';
import { canResend } from '../utils/entitlementState';
import { customerPath } from './CustomersTable';
import { DateTime } from './DateTime';
import { EntitlementState } from './EntitlementState';
import { TableHeader } from './TableHeader';

export const attentionKey = (row: Pick<ListedEntitlement, 'userId' | 'channelKey'>) =>
  `${row.userId}\n${row.channelKey}`;

/**
 * Since when the row has needed attention: an unconfirmed operation since it was recorded; a
 * refused or flagged row since its last change (the answer that made it so).
 */
export const attentionSince = (row: ListedEntitlement) =>
  row.pendingOperation ? (row.operationAt ?? row.updatedAt) : row.updatedAt;

export interface AttentionTableProps {
  rows: ListedEntitlement[];
  /** The editor's actions: a "Re-send" on each row whose intent they may send (utils/entitlementState). */
  permissions: { canAuthorize: boolean; canRevoke: boolean };
  /** attentionKey of the row being re-sent. */
  busy: string | null;
  onResend: (row: ListedEntitlement) => void;
}

/**
 * Entitlements that need an editor: customer, channel, state, Osteocom's reason, attempts, since;
 * a line saying so when there are none.
 */
export const AttentionTable = ({ rows, permissions, busy, onResend }: AttentionTableProps) => {
  const t = useT();
  if (!rows.length) {
    return <Typography data-testid="attention-empty">{t('attention.empty')}</Typography>;
  }
  const headers = [
    t('attention.customer'),
    t('entitlements.channel'),
    t('attention.state'),
    t('attention.failedAttempts'),
    t('attention.since'),
  ];
  return (
    <Table colCount={headers.length + 1} rowCount={rows.length + 1}>
      <TableHeader columns={[...headers, { hidden: t('common.actions') }]} />
      <Tbody>
        {rows.map((row) => {
          const key = attentionKey(row);
          return (
            <Tr key={key} data-testid="attention-row" data-status={row.status}>
              <Td>
                <Link tag={NavLink} to={customerPath(row.userId)}>
                  {row.userId}
                </Link>
              </Td>
              <Td>
                <Flex direction="column" alignItems="flex-start">
                  <Typography textColor="neutral800" fontWeight="semiBold">
                    {row.channelTitle ?? row.channelKey}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600">
                    {row.channelKey}
                  </Typography>
                </Flex>
              </Td>
              <Td>
                <EntitlementState entitlement={row} />
              </Td>
              <Td>
                <Typography data-testid="attention-attempts">{row.attempts ?? 0}</Typography>
              </Td>
              <Td>
                <Typography>
                  <DateTime value={attentionSince(row)} />
                </Typography>
              </Td>
              <Td>
                {canResend(row, permissions) ? (
                  <Flex justifyContent="flex-end">
                    <Button
                      variant="secondary"
                      size="S"
                      startIcon={<ArrowClockwise />}
                      loading={busy === key}
                      disabled={Boolean(busy)}
                      onClick={() => onResend(row)}
                      aria-label={t('attention.resendFor', {
                        userId: row.userId,
                        channel: row.channelTitle ?? row.channelKey,
                      })}
                    >
                      {t('entitlements.resend')}
                    </Button>
                  </Flex>
                ) : null}
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};
