/**
 * Calendar days in an IANA zone, with Intl only (no tz library): the site's zone (setting
 * `syncTz`) decides where a day picked in the admin begins and ends, daylight saving included.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterOf = (zone: string) => {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, formatter);
  }
  return formatter;
};

/** The wall clock of `zone` at instant `ms`, as fields. */
const wallClock = (zone: string, ms: number) => {
  const parts = Object.fromEntries(formatterOf(zone).formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
};

/** How far `zone` is ahead of UTC at instant `ms`. */
const offsetAt = (zone: string, ms: number) => {
  const wall = wallClock(zone, ms);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(ms / 1000) * 1000;
};

/** The instant of midnight starting `year-month-day` in `zone` (month 1-12; overflowing days roll over). */
export const startOfDay = (zone: string, year: number, month: number, day: number) => {
  const wall = Date.UTC(year, month - 1, day);
  // Two passes: the offset at the first guess may be the other side of a DST change.
  const first = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, first);
};

/** The last second of day `YYYY-MM-DD` in `zone`: an access "until Dec 20" still plays all of Dec 20. */
export const endOfDay = (date: string, zone: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(startOfDay(zone, year, month, day + 1) - 1000);
};

/** The calendar day (`YYYY-MM-DD`) in `zone` at instant `at`. */
export const dayOf = (at: Date, zone: string) => {
  const { year, month, day } = wallClock(zone, at.getTime());
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

/** The instant the day after the one in `zone` at `at` begins: that zone's next midnight. */
export const nextMidnight = (at: Date, zone: string) => {
  const { year, month, day } = wallClock(zone, at.getTime());
  return startOfDay(zone, year, month, day + 1);
};

/** `date` plus `months` calendar months; a day past the month's end becomes its last day (Jan 31 + 1 month: Feb 28). */
export const addMonths = (date: string, months: number) => {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return `${target.getUTCFullYear()}-${String(target.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
};
