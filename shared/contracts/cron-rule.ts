/**
 * Cron rules the scheduler can run, checked without dependencies so the settings schema and the
 * admin's settings form share one rule.
 */
const CRON_FIELD = /^[\d*/,\-?LW#A-Za-z]+$/;

/** Second, minute, hour, day of month, month, day of week (0 and 7 are Sunday). */
const CRON_RANGES: [number, number][] = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const CRON_NAMES: Record<number, string[]> = {
  4: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  5: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};
/** Quartz extras the scheduler understands: last day (L), weekday (W), nth weekday (#). */
const CRON_SPECIAL: Record<number, RegExp> = {
  3: /^(\?|L|LW|L-\d{1,2}|\d{1,2}W)$/,
  5: /^(\?|L|([0-7]|[A-Z]{3})(L|#[1-5]))$/,
};

const cronValue = (text: string, field: number): number | undefined => {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    const [min, max] = CRON_RANGES[field];
    return value >= min && value <= max ? value : undefined;
  }
  const index = CRON_NAMES[field]?.indexOf(text.toUpperCase()) ?? -1;
  return index === -1 ? undefined : index + (field === 4 ? 1 : 0);
};

/** One comma-separated item of a field: `*`, a value or a range, with an optional `/step`. */
const validCronItem = (item: string, field: number) => {
  const [range, step, ...rest] = item.split('/');
  if (rest.length || (step !== undefined && !(/^\d{1,2}$/.test(step) && Number(step) >= 1))) return false;
  if (range === '*' || CRON_SPECIAL[field]?.test(range.toUpperCase())) return true;
  const bounds = range.split('-').map((bound) => cronValue(bound, field));
  if (bounds.length > 2 || bounds.some((bound) => bound === undefined)) return false;
  return bounds.length === 1 || bounds[0]! <= bounds[1]!;
};

/** Every field in its range: a rule the scheduler would refuse is refused here, not stored. */
export const isCronRule = (rule: string) => {
  const trimmed = rule.trim();
  if (!trimmed || trimmed.length > 120) return false;
  const fields = trimmed.split(/\s+/);
  if ((fields.length !== 5 && fields.length !== 6) || !fields.every((field) => CRON_FIELD.test(field))) return false;
  const offset = 6 - fields.length;
  return fields.every((field, i) => field.split(',').every((item) => validCronItem(item, i + offset)));
};
