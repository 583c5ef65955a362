/** 3723 → "1:02:03"; under an hour → "0:05:07". Missing or negative → "–". */
export const formatDuration = (seconds: number | null | undefined): string => {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0)
    return '–';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
};

/** "Ann Smith", or undefined when neither part is known. */
export const fullName = (name?: string | null, surname?: string | null) =>
  [name, surname].filter((part): part is string => Boolean(part && part.trim())).join(' ') ||
  undefined;

/**
 * A stored price (in the currency's smallest unit, as Osteocom takes it) in the setting's
 * currency: `formatMoney(1250, 'EUR', 'it')` → "12,50 €"; `formatMoney(500, 'JPY', 'en')` → "¥500".
 */
export const formatMoney = (amount: number, currency: string, locale?: string) => {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
};
