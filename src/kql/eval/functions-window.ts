import type { Value } from '../values/value';
import type { Compiled } from './compiled';
import { type Call, type FunctionImpl, num } from './function-call';

/** Logical position of each physical row of the scope's table (its serialized order). */
function positions(call: Call): { rows: Uint32Array; at: Int32Array } {
  const table = call.scope.table;
  if (!table) return call.scope.ctx.unsupported(call.node, `${call.node.text.trim()} outside a serialized row set`);
  const rows = table.rowIndexes();
  const at = new Int32Array(table.physicalLength).fill(-1);
  for (let k = 0; k < rows.length; k++) at[rows[k]] = k;
  return { rows, at };
}

function windowed(type: Compiled['type'], fn: (i: number) => Value, reads: readonly Compiled[]): Compiled {
  const columns = new Set<number>();
  for (const r of reads) for (const c of r.columns) columns.add(c);
  return { type, eval: fn, constant: false, columns, volatile: true };
}

/** prev(col [, offset [, default]]) / next(...): the value `offset` rows before / after in the serialized order. */
function neighbour(direction: -1 | 1): FunctionImpl {
  return (call) => {
    const { args, type } = call;
    const { rows, at } = positions(call);
    const [value, offsetArg, fallback] = args;
    const offset = offsetArg ? num(offsetArg) : () => 1;
    return windowed(
      type,
      (i) => {
        const k = at[i] + direction * (offset(i) ?? 1);
        if (k < 0 || k >= rows.length) return fallback ? fallback.eval(i) : null;
        return value.eval(rows[k]);
      },
      args,
    );
  };
}

/** row_number([start [, restart]]), prev(), next(): functions of a serialized row set (after serialize, sort, top...). */
export const WINDOW_FUNCTIONS: Record<string, FunctionImpl> = {
  row_number: (call) => {
    const { args } = call;
    const { rows, at } = positions(call);
    const start = args[0] ? num(args[0]) : () => 1;
    const restart = args[1];
    let numbers: Float64Array | null = null;
    const numbered = (): Float64Array => {
      if (numbers) return numbers;
      numbers = new Float64Array(rows.length);
      let n = 0;
      for (let k = 0; k < rows.length; k++) {
        const first = start(rows[k]) ?? 1;
        n = k === 0 || (restart && restart.eval(rows[k]) === true) ? first : n + 1;
        numbers[k] = n;
      }
      return numbers;
    };
    return windowed('long', (i) => numbered()[at[i]], args);
  },
  prev: neighbour(-1),
  next: neighbour(1),
};
