import Papa from 'papaparse';
import { reportCsv } from '../../../admin/src/utils/reportCsv';

describe('reportCsv', () => {
  it('writes the table a line per bucket and per channel (all of them, not the top ones), the currency in the header, titles inert', () => {
    const figures = { purchases: 2, refunds: 1, revenue: 300, activeEntitlements: 4 };
    const top = { idChannel: 'ch-1', title: '=SUM(A1)', ...figures };
    const csv = reportCsv(
      {
        currency: 'CHF',
        totals: { ...figures, refundedAmount: 100, activeCustomers: 3 },
        series: [{ start: '2026-01-01T00:00:00.000Z', ...figures }],
        channels: [top],
        channelCount: 2,
      },
      [top, { idChannel: 'ch-2', title: null, ...figures, revenue: 0 }]
    );
    expect(Papa.parse(csv).data).toEqual([
      ['kind', 'key', 'title', 'purchases', 'refunds', 'revenue (CHF)', 'activeEntitlements'],
      ['period', '2026-01-01T00:00:00.000Z', '', '2', '1', '300', '4'],
      ['channel', 'ch-1', "'=SUM(A1)", '2', '1', '300', '4'],
      ['channel', 'ch-2', '', '2', '1', '0', '4'],
    ]);
  });
});
