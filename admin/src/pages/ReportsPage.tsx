import {
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useState } from 'react';
import { REPORT_INTERVALS, type ReportQuery } from '../../../shared/contracts/reports';
import { useReport } from '../api/reports';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { Panel } from '../components/Panel';
import { TableHeader } from '../components/TableHeader';
import { useT } from '../hooks/useT';
import { reportCsv } from '../utils/reportCsv';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const saveCsv = (name: string, text: string) => {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};

/** Sales over a period (UTC days): totals, a row per bucket and per channel, and the table as CSV. Charts come later. */
export const ReportsPage = () => {
  const t = useT();
  const [from, setFrom] = useState(isoDay(Date.now() - 29 * DAY_MS));
  const [to, setTo] = useState(isoDay(Date.now()));
  const [interval, setInterval] = useState<ReportQuery['interval']>('day');
  const report = useReport({ from, to, interval });
  const data = report.data;
  const money = (amount: number) => `${amount} ${data?.currency ?? ''}`.trim();
  const columns = [
    t('reports.bucket'),
    t('reports.purchases'),
    t('reports.refunds'),
    t('reports.revenue'),
    t('reports.active'),
  ];

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={4} alignItems="flex-end" wrap="wrap">
        <Field.Root name="from">
          <Field.Label>{t('reports.from')}</Field.Label>
          <TextInput
            type="date"
            value={from}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => setFrom(event.target.value)}
          />
        </Field.Root>
        <Field.Root name="to">
          <Field.Label>{t('reports.to')}</Field.Label>
          <TextInput
            type="date"
            value={to}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => setTo(event.target.value)}
          />
        </Field.Root>
        <Field.Root name="interval">
          <Field.Label>{t('reports.interval')}</Field.Label>
          <SingleSelect
            value={interval}
            onChange={(value: string | number) => setInterval(value as ReportQuery['interval'])}
          >
            {REPORT_INTERVALS.map((option) => (
              <SingleSelectOption key={option} value={option}>
                {t(`reports.interval.${option}`)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Field.Root>
        {data ? (
          <Button
            variant="secondary"
            startIcon={<Download />}
            onClick={() => saveCsv(`osteocom-report-${from}-${to}.csv`, reportCsv(data))}
          >
            {t('reports.download')}
          </Button>
        ) : null}
      </Flex>
      {report.error ? <ErrorAlert error={report.error} onRetry={report.refetch} /> : null}
      {!data ? (
        report.isLoading ? (
          <LoadingBlock />
        ) : null
      ) : (
        <>
          <Panel title={t('reports.totals')}>
            <Flex gap={6} wrap="wrap">
              {(
                [
                  ['reports.purchases', data.totals.purchases],
                  ['reports.refunds', data.totals.refunds],
                  ['reports.revenue', money(data.totals.revenue)],
                  ['reports.refundedAmount', money(data.totals.refundedAmount)],
                  ['reports.activeCustomers', data.totals.activeCustomers],
                  ['reports.active', data.totals.activeEntitlements],
                ] as const
              ).map(([label, value]) => (
                <Box key={label}>
                  <Typography variant="sigma" tag="p">
                    {t(label)}
                  </Typography>
                  <Typography variant="beta" tag="p">
                    {value}
                  </Typography>
                </Box>
              ))}
            </Flex>
          </Panel>
          <Panel title={t('reports.series')}>
            <Table colCount={columns.length} rowCount={data.series.length + 1}>
              <TableHeader columns={columns} />
              <Tbody>
                {data.series.map((bucket) => (
                  <Tr key={bucket.start}>
                    <Td>
                      <Typography>{bucket.start.slice(0, 10)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{bucket.purchases}</Typography>
                    </Td>
                    <Td>
                      <Typography>{bucket.refunds}</Typography>
                    </Td>
                    <Td>
                      <Typography>{money(bucket.revenue)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{bucket.activeEntitlements}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Panel>
          <Panel title={t('reports.channels')}>
            <Table colCount={columns.length} rowCount={data.channels.length + 1}>
              <TableHeader columns={[t('reports.channel'), ...columns.slice(1)]} />
              <Tbody>
                {data.channels.map((channel) => (
                  <Tr key={channel.idChannel}>
                    <Td>
                      <Typography>{channel.title ?? channel.idChannel}</Typography>
                    </Td>
                    <Td>
                      <Typography>{channel.purchases}</Typography>
                    </Td>
                    <Td>
                      <Typography>{channel.refunds}</Typography>
                    </Td>
                    <Td>
                      <Typography>{money(channel.revenue)}</Typography>
                    </Td>
                    <Td>
                      <Typography>{channel.activeEntitlements}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Panel>
        </>
      )}
    </Flex>
  );
};
