import { getHeapStatistics } from 'node:v8';
import { KqlLimitError, positionText, type SourcePosition } from '../errors';
import type { SyntaxNode } from '../parser/syntax-node';

/** Limits of one query's evaluation; each one is off when unset. */
export interface QueryLimits {
  /**
   * Most rows one operator that materializes or multiplies rows may produce: join, lookup,
   * mv-expand, union, summarize (groups), sort and top (their buffers), range, and the values
   * make_list/make_set collect. Operators that only select rows (where, take, project) are free.
   */
  maxRows?: number;
  /** Evaluation stops once this many milliseconds have passed since the query started. */
  timeoutMs?: number;
  /** Memory of this thread (JavaScript heap plus array buffers) above which evaluation stops. */
  maxMemoryMb?: number;
  /**
   * Stops evaluation when aborted. Evaluation is synchronous, so an abort is only seen when it
   * happened before the query started or on another thread (a worker's caller).
   */
  signal?: AbortSignal;
}

/** Rows of work between two looks at the clock and the signal: cheap enough for the tightest loops. */
const ROWS_PER_CHECK = 16_384;
const MB = 1024 * 1024;

/**
 * The limits of one query as it is evaluated. Operators report the rows they are about to produce
 * (rows) and the work they do (work); the budget fails the query with a KqlLimitError naming the
 * operator and its place in the query text.
 */
export class QueryBudget {
  readonly maxRows: number;
  private readonly deadline: number;
  private readonly maxMemoryBytes: number;
  private untilCheck = ROWS_PER_CHECK;

  constructor(
    private readonly limits: QueryLimits,
    private readonly position: (node: SyntaxNode) => SourcePosition,
    started: number = performance.now(),
  ) {
    this.maxRows = limits.maxRows ?? Infinity;
    this.deadline = limits.timeoutMs === undefined ? Infinity : started + limits.timeoutMs;
    this.maxMemoryBytes = limits.maxMemoryMb === undefined ? Infinity : limits.maxMemoryMb * MB;
  }

  /** Counts `rows` rows of work; every few thousand, looks at the clock and the signal. */
  work(rows: number): void {
    this.untilCheck -= rows;
    if (this.untilCheck <= 0) this.checkTime();
  }

  /** Fails when the caller cancelled or the time is up. */
  checkTime(): void {
    this.untilCheck = ROWS_PER_CHECK;
    if (this.limits.signal?.aborted) throw new KqlLimitError('cancelled', 'the query was cancelled');
    if (performance.now() > this.deadline) {
      throw new KqlLimitError('time', `the query ran longer than ${duration(this.limits.timeoutMs ?? 0)}`);
    }
  }

  /** Fails when `node` is about to produce more than maxRows rows (or `unit`s, for aggregates). */
  rows(count: number, node: SyntaxNode, unit: 'rows' | 'values' = 'rows'): void {
    if (count <= this.maxRows) return;
    const verb = unit === 'rows' ? 'produced' : 'collected';
    throw new KqlLimitError('rows', `${this.where(node)} ${verb} more than ${this.maxRows.toLocaleString('en-US')} ${unit}`);
  }

  /**
   * After each operator, and between the columns a join builds: the clock, the signal, and the
   * memory this thread holds (heap plus array buffers, which the worker's heap ceiling misses).
   */
  checkpoint(node: SyntaxNode): void {
    this.checkTime();
    if (this.maxMemoryBytes === Infinity) return;
    const heap = getHeapStatistics();
    const used = heap.used_heap_size + heap.external_memory;
    if (used > this.maxMemoryBytes) {
      throw new KqlLimitError(
        'memory',
        `the query ran out of memory at ${this.where(node)}: ${Math.round(used / MB).toLocaleString('en-US')} MB in use, ` +
          `more than the ${(this.maxMemoryBytes / MB).toLocaleString('en-US')} MB allowed`,
      );
    }
  }

  /** "the join at line 3, column 5", "make_list at line 1, column 40". */
  private where(node: SyntaxNode): string {
    return `${operatorName(node)} at ${positionText(this.position(node))}`;
  }
}

/** The operator as it is written: JoinOperator -> "the join", MvExpandOperator -> "the mv-expand"; a call by its name. */
function operatorName(node: SyntaxNode): string {
  if (node.kind === 'FunctionCallExpression') return node.required('Name').text.trim();
  const words = node.kind.replace(/Operator$/, '').replace(/([a-z])([A-Z])/g, '$1-$2');
  return `the ${words.toLowerCase()}`;
}

function duration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
