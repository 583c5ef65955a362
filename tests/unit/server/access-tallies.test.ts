import { customerDays, dayOf, DAY_MS } from '../../../server/src/repositories/access-tally-repository';

/** The report's tallies: the days on which a customer starts or stops having an active access (issue 26). */
describe('customerDays', () => {
  const D1 = Date.UTC(2026, 0, 10);
  const at = (day: number, hours = 12) => D1 + day * DAY_MS + hours * 3_600_000;
  const asObject = (days: Map<number, number>) =>
    Object.fromEntries([...days].map(([day, change]) => [(day - D1) / DAY_MS, change]));

  it('counts the day the first access begins and the day the last one ends, not those in between', () => {
    const events = [
      { at: at(0), delta: 1 },
      { at: at(2), delta: 1 },
      { at: at(5), delta: -1 },
      { at: at(9), delta: -1 },
    ];
    expect(asObject(customerDays(events))).toEqual({ 0: 1, 9: -1 });
  });

  it('nets a begin and an end on one day to nothing, and a refund of an unconfirmed purchase (0) changes nothing', () => {
    expect(asObject(customerDays([{ at: at(3, 1), delta: 1 }, { at: at(3, 20), delta: -1 }, { at: at(4), delta: 0 }]))).toEqual({});
  });

  it('gives the same days whatever order the events were written in (an expiry is dated at the end, earlier than recorded)', () => {
    // Access A ends on day 2 (recorded on day 6), B is bought on day 4: no access between day 2 and day 4.
    const written = [
      { at: at(0), delta: 1 },
      { at: at(4), delta: 1 },
      { at: at(2), delta: -1 },
    ];
    expect(asObject(customerDays(written))).toEqual({ 0: 1, 2: -1, 4: 1 });
    expect(customerDays(written)).toEqual(customerDays([...written].reverse()));
  });

  it('dayOf is the UTC midnight of the day', () => {
    expect(dayOf(at(1, 23))).toBe(D1 + DAY_MS);
    expect(dayOf(D1)).toBe(D1);
  });
});
