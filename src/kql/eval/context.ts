import type { KqlDatabase } from '../database';
import { KqlUnsupportedError, type SourcePosition } from '../errors';
import { lineColumnOf } from '../parser/analyzer';
import type { SyntaxNode } from '../parser/syntax-node';
import type { Table } from '../storage/table';
import type { KustoType } from '../types';
import type { Value } from '../values/value';
import type { Compiled } from './compiled-value';
import { QueryBudget, type QueryLimits } from './budget';

/** What a `let` name is bound to. */
export type Binding =
  | { kind: 'scalar'; type: KustoType; value: Value }
  | { kind: 'tabular'; table: () => Table }
  | { kind: 'function'; declaration: SyntaxNode };

/** What a parameter of the user-defined function being expanded stands for. */
export type Argument = { kind: 'scalar'; compiled: Compiled } | { kind: 'tabular'; table: Table };

/** State shared by everything evaluated for one query: text, clock, data, let bindings, limits. */
export class QueryContext {
  readonly bindings = new Map<string, Binding>();
  /** The query's row, time and memory limits, which operators report to. */
  readonly budget: QueryBudget;
  /** Arguments of the user-defined function calls being expanded, innermost last. */
  readonly frames: Array<Map<string, Argument>> = [];
  /** The implicit inputs of subqueries (mv-apply's), innermost last: what an operator with no source reads. */
  readonly implicitInputs: Table[] = [];
  /** Where externaldata URLs resolve to local files (HUNT_EXTERNALDATA_DIR); null: nowhere. */
  externalDataDir: string | null = null;
  /** The chart type of a `render` operator, which the engine does not draw. */
  chart: string | null = null;

  constructor(
    readonly text: string,
    readonly db: KqlDatabase,
    /** now() for the whole query, in ticks since the Unix epoch. */
    readonly nowTicks: bigint,
    readonly watchlists: Readonly<Record<string, Array<Record<string, unknown>>>>,
    /** Evaluates a tabular expression (subqueries of in, toscalar, join, union...). */
    readonly evalTabular: (node: SyntaxNode, ctx: QueryContext) => Table,
    limits: QueryLimits = {},
    /** performance.now() when the query arrived: its time limit counts from there. */
    started: number = performance.now(),
  ) {
    this.budget = new QueryBudget(limits, (node) => this.position(node), started);
  }

  position(node: SyntaxNode): SourcePosition {
    return { offset: node.start, ...lineColumnOf(this.text, node.start) };
  }

  unsupported(node: SyntaxNode, construct: string = node.kind): never {
    throw new KqlUnsupportedError(construct, this.position(node), node.text);
  }

  /** The argument a parameter name stands for in the innermost function call, if any. */
  argument(name: string): Argument | undefined {
    return this.frames[this.frames.length - 1]?.get(name);
  }

  tabular(node: SyntaxNode): Table {
    return this.evalTabular(node, this);
  }
}
