import { formatDuration, fullName } from '../../../admin/src/utils/format';

describe('formatDuration', () => {
  it('shows seconds as h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00:00');
    expect(formatDuration(307)).toBe('0:05:07');
    expect(formatDuration(2730)).toBe('0:45:30');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(36_000)).toBe('10:00:00');
  });

  it('shows a dash when the duration is unknown', () => {
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
  });
});

describe('fullName', () => {
  it('joins the known parts', () => {
    expect(fullName('Ann', 'Rossi')).toBe('Ann Rossi');
    expect(fullName(null, 'Rossi')).toBe('Rossi');
    expect(fullName(' ', null)).toBeUndefined();
  });
});
