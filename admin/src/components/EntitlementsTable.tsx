import { Button, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { ArrowClockwise, Clock, Play, Stop } from '@strapi/icons';
import { useState } from 'react';
import { useMoney } from '../hooks/useMoney';
import { useT } from '../hooks/useT';
import type { CustomerDetail, Entitlement } from '../types';
import { canResend } from '../utils/entitlementState';
import { DateTime } from './DateTime';
import { EntitlementState } from './EntitlementState';
import { ExtendModal } from './ExtendModal';
import { reasonText } from './MembersTable';
import { ReminderNote } from './ReminderNote';
import { RevokeButton } from './RevokeButton';
import { TableHeader } from './TableHeader';

export interface EntitlementsTableProps {
  userId: string;
  entitlements: CustomerDetail['entitlements'];
  /** The site's currency (`useCurrency`), the prices' currency. */
  currency: string | undefined;
  canRevoke: boolean;
  canAuthorize: boolean;
  busy?: string | null;
  onRevoke: (entitlement: Entitlement) => Promise<void>;
  /** Re-sends the row's current intent (purchase or refund) to Osteocom. */
  onResend: (entitlement: Entitlement) => Promise<void>;
  /** Pauses a running access (revoked at Osteocom until resumed): needs `revoke`. */
  onPause?: (entitlement: Entitlement) => Promise<void>;
  /** Resumes a paused access (authorized again, its end pushed back by the pause): needs `authorize`. */
  onResume?: (entitlement: Entitlement) => Promise<void>;
}

/** One row per channel: state and the last upstream error, price, dates (the end of a time-limited access too, with how its reminder went), and what may be done next. */
export const EntitlementsTable = ({
  userId,
  entitlements,
  currency,
  canRevoke,
  canAuthorize,
  busy,
  onRevoke,
  onResend,
  onPause,
  onResume,
}: EntitlementsTableProps) => {
  const t = useT();
  const money = useMoney(currency);
  const [extending, setExtending] = useState<string | null>(null);
  return (
    <>
      {extending ? (
        <ExtendModal
          rows={[{ userId, channelId: extending }]}
          price={entitlements.find((each) => each.channelKey === extending)?.price}
          onClose={() => setExtending(null)}
        />
      ) : null}
      <Table colCount={7} rowCount={entitlements.length + 1}>
        <TableHeader
          columns={[
            t('entitlements.channel'),
            t('entitlements.status'),
            t('entitlements.price'),
            t('entitlements.authorizedAt'),
            t('entitlements.revokedAt'),
            t('entitlements.accessUntil'),
            { hidden: t('common.actions') },
          ]}
        />
        <Tbody>
          {entitlements.map((entitlement) => {
            const title = entitlement.channelTitle ?? entitlement.channelKey;
            return (
              <Tr
                key={entitlement.channelKey}
                data-testid="entitlement-row"
                data-status={entitlement.status}
              >
                <Td>
                  <Flex direction="column" alignItems="flex-start">
                    <Typography textColor="neutral800" fontWeight="semiBold">
                      {title}
                    </Typography>
                    <Typography variant="pi" textColor="neutral600">
                      {entitlement.channelKey}
                    </Typography>
                  </Flex>
                </Td>
                <Td>
                  <EntitlementState entitlement={entitlement} />
                </Td>
                <Td>
                  <Typography>{money(entitlement.price)}</Typography>
                </Td>
                <Td>
                  <Typography>
                    <DateTime value={entitlement.authorizedAt} />
                  </Typography>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start">
                    <Typography>
                      <DateTime value={entitlement.revokedAt} />
                    </Typography>
                    {entitlement.revokeReason && entitlement.status === 'revoked' ? (
                      <Typography variant="pi" textColor="neutral600" data-testid="revoke-reason">
                        {reasonText(t, entitlement.revokeReason)}
                      </Typography>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  <Flex direction="column" alignItems="flex-start" style={{ whiteSpace: 'normal' }}>
                    <Typography data-testid="entitlement-access-until">
                      {entitlement.accessUntil ? (
                        <DateTime value={entitlement.accessUntil} />
                      ) : (
                        t('entitlements.permanent')
                      )}
                    </Typography>
                    <ReminderNote entitlement={entitlement} />
                  </Flex>
                </Td>
                <Td>
                  <Flex gap={2} justifyContent="flex-end">
                    {canResend(entitlement, { canAuthorize, canRevoke }) ? (
                      <Button
                        variant="secondary"
                        size="S"
                        startIcon={<ArrowClockwise />}
                        loading={busy === entitlement.channelKey}
                        disabled={Boolean(busy)}
                        onClick={() => onResend(entitlement)}
                      >
                        {t('entitlements.resend')}
                      </Button>
                    ) : null}
                    {canAuthorize &&
                    entitlement.status !== 'paused' &&
                    entitlement.status !== 'scheduled' &&
                    (entitlement.accessUntil || entitlement.status !== 'active') ? (
                      <Button
                        variant="secondary"
                        size="S"
                        startIcon={<Clock />}
                        disabled={Boolean(busy)}
                        onClick={() => setExtending(entitlement.channelKey)}
                      >
                        {t('extend.open')}
                      </Button>
                    ) : null}
                    {entitlement.status === 'active' && canRevoke && onPause ? (
                      <Button
                        variant="tertiary"
                        size="S"
                        startIcon={<Stop />}
                        loading={busy === entitlement.channelKey}
                        disabled={Boolean(busy)}
                        onClick={() => onPause(entitlement)}
                        aria-label={t('entitlements.pauseLabel', { channel: title })}
                      >
                        {t('entitlements.pause')}
                      </Button>
                    ) : null}
                    {entitlement.status === 'paused' && canAuthorize && onResume ? (
                      <Button
                        variant="secondary"
                        size="S"
                        startIcon={<Play />}
                        loading={busy === entitlement.channelKey}
                        disabled={Boolean(busy)}
                        onClick={() => onResume(entitlement)}
                        aria-label={t('entitlements.resumeLabel', { channel: title })}
                      >
                        {t('entitlements.resume')}
                      </Button>
                    ) : null}
                    {(entitlement.status === 'active' || entitlement.status === 'paused' || entitlement.status === 'scheduled') && canRevoke ? (
                      <RevokeButton
                        channelTitle={title}
                        userId={userId}
                        disabled={Boolean(busy)}
                        onConfirm={() => onRevoke(entitlement)}
                      />
                    ) : null}
                  </Flex>
                </Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
    </>
  );
};
