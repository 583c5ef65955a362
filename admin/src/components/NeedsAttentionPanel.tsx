import { Box, Typography } from '@strapi/design-system';
import { useEffect, useState } from 'react';
import { useNotification } from '@strapi/strapi/admin';
import { useResend, useResendAttention } from '../api/access';
import { apiErrorOf } from '../api/errors';
import { useNeedsAttention } from '../api/entitlements';
import { useAccessAction } from '../hooks/useAccessAction';
import { useT } from '../hooks/useT';
import { AttentionTable, attentionKey } from './AttentionTable';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Pager } from './Pager';
import { Panel } from './Panel';
import { ResendAllButton } from './ResendAllButton';

const PAGE_SIZE = 10;

/**
 * "Needs attention": purchases and refunds Osteocom refused, flagged for reconciliation, or
 * unconfirmed past the alert time; a one-click re-send of a purchase with `authorize`, of a refund with `revoke`.
 */
export const NeedsAttentionPanel = ({
  permissions,
}: {
  permissions: { canAuthorize: boolean; canRevoke: boolean };
}) => {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useNeedsAttention(page, PAGE_SIZE);
  const [resend] = useResend();
  const [resendAll, resendingAll] = useResendAttention();
  const { toggleNotification } = useNotification();
  const action = useAccessAction();
  const total = list.data?.pagination.total ?? 0;

  /** One click for the whole list: the server re-sends each row as a single Re-send would and answers the counts. */
  const onResendAll = async () => {
    try {
      const counts = await resendAll().unwrap();
      toggleNotification({
        type: counts.refused ? 'warning' : 'success',
        message: t('attention.resendAllDone', {
          ...counts,
          total: counts.total - counts.remaining,
        }),
      });
    } catch (error) {
      const { message, code } = apiErrorOf(error);
      toggleNotification({
        type: 'danger',
        title: t('access.refused'),
        message: code ? `${message} (${code})` : message,
      });
    }
  };
  const rows = list.data?.results;
  const pageCount = list.data?.pagination.pageCount;

  // Re-sent rows leave the list: step back when the page shown has emptied.
  useEffect(() => {
    if (pageCount !== undefined && page > Math.max(pageCount, 1)) setPage(Math.max(pageCount, 1));
  }, [page, pageCount]);

  return (
    <Panel
      title={t('attention.title')}
      action={
        total && (permissions.canAuthorize || permissions.canRevoke) ? (
          <ResendAllButton
            count={total}
            onConfirm={onResendAll}
            loading={resendingAll.isLoading}
            disabled={Boolean(action.busy) || resendingAll.isLoading}
          />
        ) : undefined
      }
    >
      <Typography textColor="neutral600">{t('attention.description')}</Typography>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.refetch} /> : null}
      {!rows && list.isLoading ? <LoadingBlock /> : null}
      {rows ? (
        <Box>
          <AttentionTable
            rows={rows}
            permissions={permissions}
            busy={resendingAll.isLoading ? 'all' : action.busy}
            onResend={(row) =>
              action.run(attentionKey(row), () =>
                resend({ userId: row.userId, channelId: row.channelKey }).unwrap()
              )
            }
          />
          {rows.length ? <Pager pagination={list.data?.pagination} onPageChange={setPage} /> : null}
        </Box>
      ) : null}
    </Panel>
  );
};
