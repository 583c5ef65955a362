import { addMonths, dayOf, endOfDay, nextMidnight } from '../../../server/src/utils/zoned-time';

describe('days in the site zone (Intl only)', () => {
  it.each([
    ['2026-12-20', 'UTC', '2026-12-20T23:59:59.000Z'],
    ['2026-12-20', 'Europe/Rome', '2026-12-20T22:59:59.000Z'],
    // Rome leaves summer time on 2026-10-25 and enters it on 2026-03-29: the day's end follows.
    ['2026-10-25', 'Europe/Rome', '2026-10-25T22:59:59.000Z'],
    ['2026-03-29', 'Europe/Rome', '2026-03-29T21:59:59.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-02T04:59:59.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-09T03:59:59.000Z'],
    ['2026-12-20', 'Pacific/Kiritimati', '2026-12-20T09:59:59.000Z'],
    ['2026-12-31', 'Australia/Lord_Howe', '2026-12-31T12:59:59.000Z'],
  ])('%s in %s ends at %s', (date, zone, end) => {
    expect(endOfDay(date, zone).toISOString()).toBe(end);
    expect(dayOf(endOfDay(date, zone), zone)).toBe(date);
  });

  it('adds calendar months, a missing day becoming the month\'s last', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-20', 1)).toBe('2027-01-20');
    expect(addMonths('2026-12-20', 12)).toBe('2027-12-20');
  });

  it('reads the day of an instant in the zone', () => {
    expect(dayOf(new Date('2026-12-20T23:30:00Z'), 'Europe/Rome')).toBe('2026-12-21');
    expect(dayOf(new Date('2026-12-20T23:30:00Z'), 'UTC')).toBe('2026-12-20');
  });

  it('finds the next midnight of the zone, not of UTC', () => {
    const at = (iso: string, zone: string) => new Date(nextMidnight(new Date(iso), zone)).toISOString();
    expect(at('2026-12-20T22:30:00Z', 'Europe/Rome')).toBe('2026-12-20T23:00:00.000Z');
    expect(at('2026-12-20T23:30:00Z', 'Europe/Rome')).toBe('2026-12-21T23:00:00.000Z');
    expect(at('2026-12-20T12:00:00Z', 'Asia/Kolkata')).toBe('2026-12-20T18:30:00.000Z');
    expect(at('2026-12-20T12:00:00Z', 'UTC')).toBe('2026-12-21T00:00:00.000Z');
    // The day Rome leaves summer time has 25 hours.
    expect(at('2026-10-24T22:30:00Z', 'Europe/Rome')).toBe('2026-10-25T23:00:00.000Z');
  });
});
