import { Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SyncRun } from '../types';
import { DateTime } from './DateTime';
import { SyncStatusBadge } from './SyncStatusBadge';
import { TableHeader } from './TableHeader';

const COUNTS = ['created', 'updated', 'unchanged', 'removed', 'restored'] as const;

/** Sync runs, newest first: when, why, how it ended, what changed. */
export const SyncRunsTable = ({ runs }: { runs: SyncRun[] }) => {
  const t = useT();
  return (
    <Table colCount={5 + COUNTS.length} rowCount={runs.length + 1}>
      <TableHeader
        columns={[
          t('runs.startedAt'),
          t('runs.trigger'),
          t('runs.status'),
          t('runs.duration'),
          ...COUNTS.map((key) => t(`counts.${key}`)),
          t('runs.error'),
        ]}
      />
      <Tbody>
        {runs.map((run) => (
          <Tr key={run.id} data-testid="sync-run-row">
            <Td>
              <Typography>
                <DateTime value={run.startedAt} />
              </Typography>
            </Td>
            <Td>
              <Typography>{t(`trigger.${run.trigger}`)}</Typography>
            </Td>
            <Td>
              <SyncStatusBadge status={run.status} />
            </Td>
            <Td>
              <Typography>
                {run.durationMs != null
                  ? t('common.seconds', { value: (run.durationMs / 1000).toFixed(1) })
                  : '–'}
              </Typography>
            </Td>
            {COUNTS.map((key) => (
              <Td key={key}>
                <Typography>
                  {run.stats?.channels && run.stats.videos
                    ? `${run.stats.channels[key]} / ${run.stats.videos[key]}`
                    : (run[key] ?? 0)}
                </Typography>
              </Td>
            ))}
            <Td>
              <Typography
                textColor="danger600"
                variant="pi"
                ellipsis
                title={run.error ?? undefined}
              >
                {run.error ?? ''}
              </Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
