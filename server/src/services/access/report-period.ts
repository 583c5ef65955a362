import { MAX_REPORT_BUCKETS, type ReportQuery } from '../../../../shared/contracts/reports';
import { OsteocomError } from '../../errors';

const DAY_MS = 86_400_000;

/** A report's period in epoch ms, half-open: `[start, end)`, and the starts of its buckets (the first is `start`). */
export interface ReportPeriod {
  start: number;
  end: number;
  buckets: number[];
}

/** The UTC midnight that starts the bucket holding `ms`, then the next one. */
const startOf = (ms: number, interval: ReportQuery['interval']) => {
  const date = new Date(ms);
  if (interval === 'day') return ms;
  if (interval === 'week') return ms - ((date.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
const next = (ms: number, interval: ReportQuery['interval']) => {
  if (interval === 'day') return ms + DAY_MS;
  if (interval === 'week') return ms + 7 * DAY_MS;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
};

/** A period of whole UTC days in epoch ms, `[start, end)`; `from` after `to` is refused. */
export const periodOf = ({ from, to }: Pick<ReportQuery, 'from' | 'to'>) => {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  if (start >= end)
    throw new OsteocomError(
      'INVALID_PERIOD',
      `The period starts (${from}) after it ends (${to}).`,
      { details: { from, to } }
    );
  return { start, end };
};

/**
 * The bucket boundaries of a report, in UTC, computed here so that the SQL only compares numbers
 * (the same on every database): the first bucket starts at `from`, each later one on its day,
 * Monday or 1st of the month. More than MAX_REPORT_BUCKETS buckets is refused.
 */
export const reportPeriod = (query: ReportQuery): ReportPeriod => {
  const { from, to, interval } = query;
  const { start, end } = periodOf(query);
  const buckets = [start];
  for (
    let bucket = next(startOf(start, interval), interval);
    bucket < end;
    bucket = next(bucket, interval)
  ) {
    if (buckets.length === MAX_REPORT_BUCKETS) {
      throw new OsteocomError(
        'TOO_MANY_BUCKETS',
        `A report has at most ${MAX_REPORT_BUCKETS} buckets; ${from} to ${to} by ${interval} has more. Pick a longer interval or a shorter period.`,
        {
          details: { max: MAX_REPORT_BUCKETS, interval },
        }
      );
    }
    buckets.push(bucket);
  }
  return { start, end, buckets };
};
