import { TICKS_PER_HOUR } from '../values/time';
import { toDynamic, type Value } from '../values/value';
import { derived } from './compiled';
import type { FunctionImpl } from './function-call';

/** The range() function's documented cap on results (2^20); a longer series is truncated. */
export const RANGE_MAX_VALUES = 1_048_576;

/**
 * range(start, stop [, step]) -> a dynamic array start, start + step, ... up to and including stop.
 * Numbers step by 1, datetimes and timespans by 1h unless told; a negative step counts down; a zero
 * step gives null (the documentation says nothing of it; Kusto cannot make such a series either).
 */
export const rangeFunction: FunctionImpl = ({ args }) => {
  const [start, stop, stepArg] = args;
  const ticks = start.type === 'datetime' || start.type === 'timespan';
  return derived('dynamic', args, (i) => {
    const from = start.eval(i);
    const to = stop.eval(i);
    const step = stepArg ? stepArg.eval(i) : ticks ? TICKS_PER_HOUR : 1;
    if (from === null || to === null || step === null) return null;
    const out: unknown[] = [];
    if (ticks) {
      const s = BigInt(step as bigint | number);
      if (s === 0n) return null;
      for (let v = from as bigint; (s > 0n ? v <= (to as bigint) : v >= (to as bigint)) && out.length < RANGE_MAX_VALUES; v += s) {
        out.push(toDynamic(v as Value, start.type));
      }
      return out;
    }
    const s = Number(step);
    const a = Number(from);
    const b = Number(to);
    if (s === 0 || Number.isNaN(s)) return null;
    for (let k = 0; out.length < RANGE_MAX_VALUES; k++) {
      const v = a + k * s;
      if (s > 0 ? v > b : v < b) break;
      out.push(v);
    }
    return out;
  });
};
