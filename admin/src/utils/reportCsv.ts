/** The Reports tab's table as a CSV file: the same figures, cells made inert for spreadsheets. */
import Papa from 'papaparse';
import type { DataOf } from '../../../shared/contracts/common';
import { inertCell } from '../../../shared/contracts/csv';
import type { getReport, ReportChannel } from '../../../shared/contracts/reports';

type Report = DataOf<typeof getReport>;
type Figures = Pick<
  Report['series'][number],
  'purchases' | 'refunds' | 'revenue' | 'activeEntitlements'
>;

/**
 * One line per bucket (`period`, its start), then one per channel (`channel`, its id and title:
 * every channel, not only the report's top ones); the currency on the revenue's header.
 */
export const reportCsv = (report: Report, channels: ReportChannel[]) => {
  const revenue = `revenue (${report.currency})`;
  const line = (kind: string, key: string, title: string, figures: Figures) => [
    kind,
    inertCell(key),
    inertCell(title),
    figures.purchases,
    figures.refunds,
    figures.revenue,
    figures.activeEntitlements,
  ];
  return Papa.unparse([
    ['kind', 'key', 'title', 'purchases', 'refunds', revenue, 'activeEntitlements'],
    ...report.series.map((bucket) => line('period', bucket.start, '', bucket)),
    ...channels.map((channel) =>
      line('channel', channel.idChannel, channel.title ?? '', channel)
    ),
  ]);
};
