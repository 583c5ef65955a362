import {
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import {
  REPORT_INTERVALS,
  type ReportChannel,
  type ReportQuery,
} from '../../../shared/contracts/reports';
import { apiErrorOf } from '../api/errors';
import { fetchAllReportChannels, useReport, useReportChannels } from '../api/reports';
import { ErrorAlert } from '../components/ErrorAlert';
import { LoadingBlock } from '../components/LoadingBlock';
import { Pager } from '../components/Pager';
import { Panel } from '../components/Panel';
import { TableHeader } from '../components/TableHeader';
import { TextRow } from '../components/TextRow';
import { useT } from '../hooks/useT';
import { ReportChart } from '../components/ReportChart';
import { formatMoney } from '../utils/format';
import { reportCsv } from '../utils/reportCsv';
import { saveFile } from '../utils/saveFile';

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const COLORS = { purchases: '#4945ff', refunds: '#d02b20', revenue: '#328048', active: '#d9822f' };
/** Rows of the channels table a page. */
const CHANNELS_PAGE = 25;

type Figures = Pick<ReportChannel, 'purchases' | 'refunds' | 'revenue' | 'activeEntitlements'>;

/** A row of either table: what it is (a bucket's day, a channel's title), then its figures. */
const FiguresRow = ({
  label,
  figures,
  money,
}: {
  label: string;
  figures: Figures;
  money: (amount: number) => string;
}) => (
  <TextRow
    cells={[
      label,
      figures.purchases,
      figures.refunds,
      money(figures.revenue),
      figures.activeEntitlements,
    ]}
  />
);

/**
 * Sales over a period (UTC days): totals, charts (purchases and refunds, revenue, active
 * accesses over time, the report's top channels by revenue), the same figures as tables (what a
 * screen reader reads: each chart is an image labelled with its summary; every channel, a page at a
 * time) and the tables as CSV (every channel, fetched page by page).
 */
export const ReportsPage = () => {
  const t = useT();
  const [from, setFrom] = useState(isoDay(Date.now() - 29 * DAY_MS));
  const [to, setTo] = useState(isoDay(Date.now()));
  const [channelPage, setChannelPage] = useState(1);
  /** A new period starts the channels table on its first page. */
  const periodSetter =
    (set: (day: string) => void) => (event: React.ChangeEvent<HTMLInputElement>) => {
      set(event.target.value);
      setChannelPage(1);
    };
  const [interval, setInterval] = useState<ReportQuery['interval']>('day');
  const report = useReport({ from, to, interval });
  const data = report.data;
  const channels = useReportChannels({ from, to, page: channelPage, pageSize: CHANNELS_PAGE });
  const client = useFetchClient();
  const { toggleNotification } = useNotification();
  const [downloading, setDownloading] = useState(false);
  // The report of the period picked now: `data` shows the last one while the next loads.
  const current = report.currentData;
  const download = async () => {
    if (!current) return;
    setDownloading(true);
    try {
      const all = await fetchAllReportChannels(client, { from, to });
      saveFile(`osteocom-report-${from}-${to}.csv`, reportCsv(current, all));
    } catch (error) {
      const { message, code } = apiErrorOf(error);
      toggleNotification({ type: 'danger', message: code ? `${message} (${code})` : message });
    } finally {
      setDownloading(false);
    }
  };
  const { locale } = useIntl();
  const money = useMemo(
    () => (amount: number) => (data ? formatMoney(amount, data.currency, locale) : String(amount)),
    [data, locale]
  );
  const charts = useMemo(() => {
    if (!data) return null;
    const days = data.series.map((bucket) => bucket.start.slice(0, 10));
    const top = data.channels;
    return {
      days,
      sales: [
        {
          label: t('reports.purchases'),
          values: data.series.map((b) => b.purchases),
          color: COLORS.purchases,
        },
        {
          label: t('reports.refunds'),
          values: data.series.map((b) => b.refunds),
          color: COLORS.refunds,
        },
      ],
      revenue: [
        {
          label: t('reports.revenue'),
          values: data.series.map((b) => b.revenue),
          color: COLORS.revenue,
        },
      ],
      active: [
        {
          label: t('reports.active'),
          values: data.series.map((b) => b.activeEntitlements),
          color: COLORS.active,
        },
      ],
      channelNames: top.map((channel) => channel.title ?? channel.idChannel),
      channels: [
        { label: t('reports.revenue'), values: top.map((c) => c.revenue), color: COLORS.revenue },
      ],
      top,
    };
  }, [data, t]);
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
          <TextInput type="date" value={from} onChange={periodSetter(setFrom)} />
        </Field.Root>
        <Field.Root name="to">
          <Field.Label>{t('reports.to')}</Field.Label>
          <TextInput type="date" value={to} onChange={periodSetter(setTo)} />
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
            loading={downloading}
            disabled={!current}
            onClick={download}
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
          {charts ? (
            <Panel title={t('reports.charts')}>
              <Typography variant="pi" textColor="neutral600">
                {t('reports.charts.hint')}
              </Typography>
              <Flex direction="column" alignItems="stretch" gap={6}>
                <ReportChart
                  testId="chart-sales"
                  title={t('reports.chart.sales')}
                  summary={t('reports.chart.sales.summary', {
                    purchases: data.totals.purchases,
                    refunds: data.totals.refunds,
                    buckets: data.series.length,
                  })}
                  x={charts.days}
                  series={charts.sales}
                />
                <ReportChart
                  testId="chart-revenue"
                  title={t('reports.chart.revenue')}
                  summary={t('reports.chart.revenue.summary', {
                    revenue: money(data.totals.revenue),
                    refunded: money(data.totals.refundedAmount),
                  })}
                  x={charts.days}
                  series={charts.revenue}
                  format={money}
                />
                <ReportChart
                  testId="chart-active"
                  title={t('reports.chart.active')}
                  summary={t('reports.chart.active.summary', {
                    active: data.totals.activeEntitlements,
                    customers: data.totals.activeCustomers,
                  })}
                  x={charts.days}
                  series={charts.active}
                />
                {charts.top.length ? (
                  <ReportChart
                    testId="chart-channels"
                    title={t('reports.chart.channels')}
                    summary={t('reports.chart.channels.summary', {
                      list: charts.top
                        .map(
                          (channel) =>
                            `${channel.title ?? channel.idChannel}: ${money(channel.revenue)}`
                        )
                        .join('; '),
                    })}
                    x={charts.channelNames}
                    series={charts.channels}
                    format={money}
                    bars
                  />
                ) : null}
              </Flex>
            </Panel>
          ) : null}
          <Panel title={t('reports.series')}>
            <Table colCount={columns.length} rowCount={data.series.length + 1}>
              <TableHeader columns={columns} />
              <Tbody>
                {data.series.map((bucket) => (
                  <FiguresRow
                    key={bucket.start}
                    label={bucket.start.slice(0, 10)}
                    figures={bucket}
                    money={money}
                  />
                ))}
              </Tbody>
            </Table>
          </Panel>
          <Panel title={t('reports.channels')}>
            {channels.error ? (
              <ErrorAlert error={channels.error} onRetry={channels.refetch} />
            ) : null}
            {channels.data ? (
              <>
                <Table colCount={columns.length} rowCount={channels.data.results.length + 1}>
                  <TableHeader columns={[t('reports.channel'), ...columns.slice(1)]} />
                  <Tbody>
                    {channels.data.results.map((channel) => (
                      <FiguresRow
                        key={channel.idChannel}
                        label={channel.title ?? channel.idChannel}
                        figures={channel}
                        money={money}
                      />
                    ))}
                  </Tbody>
                </Table>
                <Pager pagination={channels.data.pagination} onPageChange={setChannelPage} />
              </>
            ) : channels.isLoading ? (
              <LoadingBlock />
            ) : null}
          </Panel>
        </>
      )}
    </Flex>
  );
};
