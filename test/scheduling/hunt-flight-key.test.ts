import { huntFlightKey, type HuntFlightKeyInput } from '../../src/scheduling';

const DESKTOPNOW_5D: HuntFlightKeyInput = {
  backend: 'embedded',
  huntIds: ['b99dd509-1e55-5630-a6a7-1d15ceb2a8bf'],
  parameters: {},
  windowStart: '2026-11-23T03:00:05.120Z',
  windowEnd: '2026-11-28T03:00:05.120Z',
};

/** The same request made `seconds` later, as the runner computes the window from its clock. */
function later(seconds: number, input = DESKTOPNOW_5D): HuntFlightKeyInput {
  const shift = (iso: Date | string) => new Date(new Date(iso).getTime() + seconds * 1000);
  return { ...input, windowStart: shift(input.windowStart), windowEnd: shift(input.windowEnd) };
}

describe('huntFlightKey', () => {
  it('is the same for two responders asking for "5d" within the same minute', () => {
    expect(huntFlightKey(later(54))).toBe(huntFlightKey(DESKTOPNOW_5D));
  });

  it('differs once the clock has moved into the next minute', () => {
    expect(huntFlightKey(later(55))).not.toBe(huntFlightKey(DESKTOPNOW_5D));
  });

  it('reads Date and ISO text windows alike', () => {
    const asDates = { ...DESKTOPNOW_5D, windowStart: new Date(DESKTOPNOW_5D.windowStart), windowEnd: new Date(DESKTOPNOW_5D.windowEnd) };
    expect(huntFlightKey(asDates)).toBe(huntFlightKey(DESKTOPNOW_5D));
  });

  it('differs for another backend, other hunts or another window length', () => {
    const key = huntFlightKey(DESKTOPNOW_5D);
    expect(huntFlightKey({ ...DESKTOPNOW_5D, backend: 'loganalytics' })).not.toBe(key);
    expect(huntFlightKey({ ...DESKTOPNOW_5D, huntIds: [...DESKTOPNOW_5D.huntIds, 'another-hunt'] })).not.toBe(key);
    expect(huntFlightKey({ ...DESKTOPNOW_5D, windowStart: '2026-11-27T03:00:05.120Z' })).not.toBe(key);
  });

  it('ignores the order parameters were given in, but not their values', () => {
    const a = huntFlightKey({ ...DESKTOPNOW_5D, parameters: { Signer: 'NCH', Limit: 10, Filter: { b: 1, a: [2] } } });
    const b = huntFlightKey({ ...DESKTOPNOW_5D, parameters: { Filter: { a: [2], b: 1 }, Limit: 10, Signer: 'NCH' } });
    expect(a).toBe(b);
    expect(huntFlightKey({ ...DESKTOPNOW_5D, parameters: { Signer: 'NCH', Limit: 11, Filter: { b: 1, a: [2] } } })).not.toBe(a);
  });

  it('treats missing parameters like none', () => {
    expect(huntFlightKey({ ...DESKTOPNOW_5D, parameters: undefined })).toBe(huntFlightKey(DESKTOPNOW_5D));
  });

  it('refuses a window that is not a date', () => {
    expect(() => huntFlightKey({ ...DESKTOPNOW_5D, windowEnd: 'yesterday' })).toThrow(RangeError);
  });
});
