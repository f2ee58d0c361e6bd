import {
  formatDateTime,
  formatTimespan,
  parseDateTimeTicks,
  parseIsoDateTime,
  parseTimespanTicks,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_SECOND,
} from '../../src/kql/values/time';

describe('datetime values', () => {
  it('round-trips 100 ns precision through parse and format', () => {
    const text = '2024-02-03T04:05:06.1234567Z';
    expect(formatDateTime(parseDateTimeTicks(text)!)).toBe(text);
  });

  it('formats with 7 fractional digits and Z like Kusto', () => {
    expect(formatDateTime(parseDateTimeTicks('2024-01-01')!)).toBe('2024-01-01T00:00:00.0000000Z');
  });

  it('accepts the ISO forms Kusto accepts and applies offsets', () => {
    expect(formatDateTime(parseDateTimeTicks('2014-11-08 15:55')!)).toBe('2014-11-08T15:55:00.0000000Z');
    expect(formatDateTime(parseDateTimeTicks('2014-11-08T15:55:55.1+01:00')!)).toBe('2014-11-08T14:55:55.1000000Z');
  });

  it('handles dates before 1970 and rejects non-dates', () => {
    expect(formatDateTime(parseDateTimeTicks('1969-12-31T23:59:59.9999999Z')!)).toBe('1969-12-31T23:59:59.9999999Z');
    expect(parseIsoDateTime('2024-13-01')).toBeNull();
    expect(parseDateTimeTicks('yesterday')).toBeNull();
  });
});

describe('timespan values', () => {
  it('parses unit literals and the clock form exactly', () => {
    expect(parseTimespanTicks('2d')).toBe(2n * TICKS_PER_DAY);
    expect(parseTimespanTicks('1.5h')).toBe(TICKS_PER_HOUR + TICKS_PER_HOUR / 2n);
    expect(parseTimespanTicks('15 seconds')).toBe(15n * TICKS_PER_SECOND);
    expect(parseTimespanTicks('0.12:34:56.7')).toBe(parseTimespanTicks('12h')! + parseTimespanTicks('34m')! + parseTimespanTicks('56.7s')!);
    expect(parseTimespanTicks('2')).toBe(2n * TICKS_PER_DAY);
    expect(parseTimespanTicks('1tick')).toBe(1n);
  });

  it('formats as [-][d.]hh:mm:ss[.fffffff]', () => {
    expect(formatTimespan(parseTimespanTicks('1.02:03:04')!)).toBe('1.02:03:04');
    expect(formatTimespan(parseTimespanTicks('500ms')!)).toBe('00:00:00.5000000');
    expect(formatTimespan(-parseTimespanTicks('90m')!)).toBe('-01:30:00');
  });
});
