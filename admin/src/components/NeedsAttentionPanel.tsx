import { Box, Typography } from '@strapi/design-system';
import { useEffect, useState } from 'react';
import { useResend } from '../api/access';
import { useNeedsAttention } from '../api/entitlements';
import { useAccessAction } from '../hooks/useAccessAction';
import { useT } from '../hooks/useT';
import { AttentionTable, attentionKey } from './AttentionTable';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Pager } from './Pager';
import { Panel } from './Panel';

const PAGE_SIZE = 10;

/**
 * "Needs attention": purchases and refunds Osteocom refused, flagged for reconciliation, or
 * unconfirmed past the alert time; a one-click re-send of a purchase with `authorize`, of a refund with `revoke`.
 */
export const NeedsAttentionPanel = ({ permissions }: { permissions: { canAuthorize: boolean; canRevoke: boolean } }) => {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useNeedsAttention(page, PAGE_SIZE);
  const [resend] = useResend();
  const action = useAccessAction();
  const rows = list.data?.results;
  const pageCount = list.data?.pagination.pageCount;

  // Re-sent rows leave the list: step back when the page shown has emptied.
  useEffect(() => {
    if (pageCount !== undefined && page > Math.max(pageCount, 1)) setPage(Math.max(pageCount, 1));
  }, [page, pageCount]);

  return (
    <Panel title={t('attention.title')}>
      <Typography textColor="neutral600">{t('attention.description')}</Typography>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.refetch} /> : null}
      {!rows && list.isLoading ? <LoadingBlock /> : null}
      {rows ? (
        <Box>
          <AttentionTable
            rows={rows}
            permissions={permissions}
            busy={action.busy}
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
