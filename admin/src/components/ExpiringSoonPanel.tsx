import {
  Box,
  Button,
  Flex,
  Link,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Clock } from '@strapi/icons';
import { useState } from 'react';
import { usePermissions } from '../hooks/usePermissions';
import { ExtendModal } from './ExtendModal';
import { NavLink } from 'react-router-dom';
import { useExpiringSoon } from '../api/entitlements';
import { useT } from '../hooks/useT';
import type { ListedEntitlement } from '../types';
import { customerPath } from './CustomersTable';
import { DateTime } from './DateTime';
import { EntitlementStatusBadge } from './EntitlementStatusBadge';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { Pager } from './Pager';
import { Panel } from './Panel';
import { TableHeader } from './TableHeader';

const PAGE_SIZE = 10;
/** Look-aheads offered; the server takes 1 to 365 days. */
const WINDOWS = [7, 30, 90] as const;

const ExpiringTable = ({ rows }: { rows: ListedEntitlement[] }) => {
  const t = useT();
  const { canAuthorize } = usePermissions();
  const [extending, setExtending] = useState<{ userId: string; channelId: string } | null>(null);
  if (!rows.length)
    return <Typography data-testid="expiring-empty">{t('expiring.empty')}</Typography>;
  const headers = [
    t('attention.customer'),
    t('entitlements.channel'),
    t('entitlements.status'),
    t('entitlements.accessUntil'),
    ...(canAuthorize ? [t('extend.open')] : []),
  ];
  return (
    <>
      {extending ? <ExtendModal rows={[extending]} onClose={() => setExtending(null)} /> : null}
      <Table colCount={headers.length} rowCount={rows.length + 1}>
        <TableHeader columns={headers} />
        <Tbody>
          {rows.map((row) => (
            <Tr key={`${row.userId}\n${row.channelKey}`} data-testid="expiring-row">
              <Td>
                <Link tag={NavLink} to={customerPath(row.userId)}>
                  {row.userId}
                </Link>
              </Td>
              <Td>
                <Typography textColor="neutral800">{row.channelTitle ?? row.channelKey}</Typography>
              </Td>
              <Td>
                <EntitlementStatusBadge status={row.status} />
              </Td>
              <Td>
                <Typography>
                  <DateTime value={row.accessUntil} />
                </Typography>
              </Td>
              {canAuthorize ? (
                <Td>
                  <Button
                    variant="secondary"
                    size="S"
                    startIcon={<Clock />}
                    onClick={() => setExtending({ userId: row.userId, channelId: row.channelKey })}
                  >
                    {t('extend.open')}
                  </Button>
                </Td>
              ) : null}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  );
};

/** "Expiring soon": time-limited accesses that end within the chosen number of days, soonest first. */
export const ExpiringSoonPanel = () => {
  const t = useT();
  const [days, setDays] = useState<number>(30);
  const [page, setPage] = useState(1);
  const list = useExpiringSoon(days, page, PAGE_SIZE);
  const rows = list.data?.results;

  return (
    <Panel
      title={t('expiring.title')}
      action={
        <Box minWidth="16rem">
          <SingleSelect
            aria-label={t('expiring.window')}
            value={String(days)}
            onChange={(value) => {
              setDays(Number(value));
              setPage(1);
            }}
          >
            {WINDOWS.map((window) => (
              <SingleSelectOption key={window} value={String(window)}>
                {t('expiring.days', { days: window })}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
      }
    >
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography textColor="neutral600">{t('expiring.description')}</Typography>
        {list.error ? <ErrorAlert error={list.error} onRetry={list.refetch} /> : null}
        {!rows && list.isLoading ? <LoadingBlock /> : null}
        {rows ? (
          <Box>
            <ExpiringTable rows={rows} />
            {rows.length ? (
              <Pager pagination={list.data?.pagination} onPageChange={setPage} />
            ) : null}
          </Box>
        ) : null}
      </Flex>
    </Panel>
  );
};
