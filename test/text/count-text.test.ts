import { countOf } from '../../src/text/count-text';

describe('a count with its noun', () => {
  it('says "1 device" for one and "N devices" for any other number, zero included', () => {
    expect(countOf(1, 'device')).toBe('1 device');
    expect(countOf(2, 'device')).toBe('2 devices');
    expect(countOf(0, 'device')).toBe('0 devices');
  });

  it('takes an irregular plural', () => {
    expect(countOf(1, 'query', 'queries')).toBe('1 query');
    expect(countOf(3, 'query', 'queries')).toBe('3 queries');
  });
});
