import { ERASED, personalPattern, scrubDetails } from '../../../server/src/services/access/personal-data';

describe('personal-data scrubbing', () => {
  const pattern = personalPattern({ email: 'Ann.Lee@Example.com', name: 'Al', surname: "O'Neil (Jr.)" });

  it('masks the email anywhere and in any case, a name only as a whole word', () => {
    expect(scrubDetails('refused ann.lee@example.com, Al and AL; All stays, Alan too', pattern)).toBe(`refused ${ERASED}, ${ERASED} and ${ERASED}; All stays, Alan too`);
    expect(scrubDetails("O'Neil (Jr.) said", pattern)).toBe(`${ERASED} said`);
  });

  it('blanks the personal keys at any depth and leaves other values and types alone', () => {
    const details = { code: 'UPSTREAM_REJECTED', attempts: 2, ok: true, none: null, rows: [{ email: 'x@y.z', name: 'B', line: 3, note: 'for Al' }], reason: 'no' };
    expect(scrubDetails(details, pattern)).toEqual({
      code: 'UPSTREAM_REJECTED',
      attempts: 2,
      ok: true,
      none: null,
      rows: [{ email: null, name: null, line: 3, note: `for ${ERASED}` }],
      reason: 'no',
    });
  });

  it('masks every value a field ever had, the longest first, so a name inside a longer one is masked whole', () => {
    const every = personalPattern({ email: ['new@example.com', 'old@example.com', null], name: ['Carol', 'Caroline', 'Carol Ann'], surname: ['Smyth', 'Smith'] });
    expect(scrubDetails('Customer Caroline Smith <old@example.com> is blocked; Carol Ann Smyth too; Carolina stays', every)).toBe(
      `Customer ${ERASED} ${ERASED} <${ERASED}> is blocked; ${ERASED} ${ERASED} too; Carolina stays`
    );
  });

  it('has nothing to look for in a blank profile, and still blanks the keys', () => {
    const blank = personalPattern({ email: null, name: ' ', surname: undefined });
    expect(blank).toBeNull();
    expect(scrubDetails({ surname: 'Rossi', text: 'Rossi' }, blank)).toEqual({ surname: null, text: 'Rossi' });
  });
});
