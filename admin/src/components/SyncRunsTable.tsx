import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { SyncRun } from '../types';
import { DateTime } from './DateTime';
import { SyncStatusBadge } from './SyncStatusBadge';

const COUNTS = ['created', 'updated', 'unchanged', 'removed', 'restored'] as const;

/** Sync runs, newest first: when, why, how it ended, what changed. */
export const SyncRunsTable = ({ runs }: { runs: SyncRun[] }) => {
  const t = useT();
  return (
    <Table colCount={5 + COUNTS.length} rowCount={runs.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('runs.startedAt')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('runs.trigger')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('runs.status')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('runs.duration')}</Typography>
          </Th>
          {COUNTS.map((key) => (
            <Th key={key}>
              <Typography variant="sigma">{t(`counts.${key}`)}</Typography>
            </Th>
          ))}
          <Th>
            <Typography variant="sigma">{t('runs.error')}</Typography>
          </Th>
        </Tr>
      </Thead>
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
