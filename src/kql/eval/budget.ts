import { totalmem } from 'node:os';
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

/** Rows of work between two checks of the limits: the checks cost microseconds, so this is noise. */
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
  private operator: SyntaxNode | null = null;

  constructor(
    private readonly limits: QueryLimits,
    private readonly position: (node: SyntaxNode) => SourcePosition,
    started: number = performance.now(),
  ) {
    this.maxRows = limits.maxRows ?? Infinity;
    this.deadline = limits.timeoutMs === undefined ? Infinity : started + limits.timeoutMs;
    this.maxMemoryBytes = limits.maxMemoryMb === undefined ? Infinity : limits.maxMemoryMb * MB;
  }

  /** Marks `node` as the operator being evaluated, the one named if memory runs out; returns the previous one. */
  enter(node: SyntaxNode | null): SyntaxNode | null {
    const previous = this.operator;
    this.operator = node;
    return previous;
  }

  leave(previous: SyntaxNode | null): void {
    this.operator = previous;
  }

  /** Counts `rows` rows of work; every few thousand, checks the limits (check). */
  work(rows: number): void {
    this.untilCheck -= rows;
    if (this.untilCheck <= 0) this.check();
  }

  /**
   * Fails when the caller cancelled, the time is up, or this thread holds more memory (heap plus
   * array buffers, which a worker's heap ceiling does not count) than allowed. Called from loops
   * through work(), after each operator, and between the columns a join builds.
   */
  check(): void {
    this.untilCheck = ROWS_PER_CHECK;
    if (this.limits.signal?.aborted) throw new KqlLimitError('cancelled', 'the query was cancelled');
    if (performance.now() > this.deadline) {
      throw new KqlLimitError('time', `the query ran longer than ${duration(this.limits.timeoutMs ?? 0)}`);
    }
    if (this.maxMemoryBytes === Infinity) return;
    const used = memoryInUse();
    if (used > this.maxMemoryBytes) {
      throw new KqlLimitError(
        'memory',
        `the query ran out of memory${this.operator ? ` at ${this.where(this.operator)}` : ''}: ` +
          `${Math.ceil(used / MB).toLocaleString('en-US')} MB in use, more than the ${(this.maxMemoryBytes / MB).toLocaleString('en-US')} MB allowed`,
      );
    }
  }

  /**
   * Makes what `node` needs at once (`bytes` of it), failing as running out of memory before the
   * allocation when it would pass the memory limit or exceeds the machine's memory (Node.js 22+ lets
   * a typed array of that size be made, and filling it would get the process killed), and instead of
   * a bare RangeError when the thread cannot allocate that much at all.
   */
  allocate<T>(bytes: number, node: SyntaxNode, make: () => T): T {
    const needs = (): string => `${this.where(node)} needed ${Math.ceil(bytes / MB).toLocaleString('en-US')} MB at once`;
    if (this.maxMemoryBytes !== Infinity && memoryInUse() + bytes > this.maxMemoryBytes) {
      throw new KqlLimitError('memory', `the query ran out of memory: ${needs()}, which would pass the ${(this.maxMemoryBytes / MB).toLocaleString('en-US')} MB allowed`);
    }
    if (bytes > totalmem()) throw new KqlLimitError('memory', `the query ran out of memory: ${needs()}, more than this machine has`, false);
    try {
      return make();
    } catch (error) {
      if (error instanceof RangeError) throw new KqlLimitError('memory', `the query ran out of memory: ${needs()}, more than this thread could allocate`, false);
      throw error;
    }
  }

  /** Fails when `node` is about to produce more than maxRows rows (or `unit`s, for aggregates). */
  rows(count: number, node: SyntaxNode, unit: 'rows' | 'values' = 'rows'): void {
    if (count <= this.maxRows) return;
    const verb = unit === 'rows' ? 'produced' : 'collected';
    throw new KqlLimitError('rows', `${this.where(node)} ${verb} more than ${this.maxRows.toLocaleString('en-US')} ${unit}`);
  }

  /** "the join at line 3, column 5", "make_list at line 1, column 40". */
  private where(node: SyntaxNode): string {
    return `${operatorName(node)} at ${positionText(this.position(node))}`;
  }
}

/** This thread's JavaScript heap plus array buffers, which a worker's heap ceiling does not count. */
function memoryInUse(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
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
