import { Typography } from '@strapi/design-system';
import { useState } from 'react';
import { useSyncRuns } from '../api/activity';
import { useT } from '../hooks/useT';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Pager } from './Pager';
import { Panel } from './Panel';
import { SyncRunsTable } from './SyncRunsTable';

const PAGE_SIZE = 10;

export const SyncRunsPanel = () => {
  const t = useT();
  const [page, setPage] = useState(1);
  const runs = useSyncRuns(page, PAGE_SIZE);
  return (
    <Panel title={t('runs.title')}>
      {runs.error ? <ErrorAlert error={runs.error} onRetry={runs.refetch} /> : null}
      {!runs.data ? (
        runs.isLoading ? (
          <LoadingBlock />
        ) : null
      ) : runs.data.results.length ? (
        <>
          <Typography variant="pi" textColor="neutral600">
            {t('runs.countsHint')}
          </Typography>
          <SyncRunsTable runs={runs.data.results} />
          <Pager pagination={runs.data.pagination} onPageChange={setPage} />
        </>
      ) : (
        <Typography textColor="neutral600">{t('runs.empty')}</Typography>
      )}
    </Panel>
  );
};
