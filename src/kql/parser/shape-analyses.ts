/**
 * Analyses answered through shape templates (query-shape.ts, shape-template.ts), within a memory cap.
 *
 * A shape's first text is analysed in full and becomes its candidate template. Its second is analysed
 * in full too and compared with the patched template: a shape whose patch differs is refused for good.
 * From the third on, the patched template is the answer (~2 ms: the syntax-only parse and the patch,
 * against ~7 ms). A text whose syntax-only parse has errors is always analysed in full.
 *
 * What it costs: a new shape's first text pays for reading its shape from the full analysis's tree and for
 * packing the template (~1 ms on a 7-20 ms analysis; the syntax-only parse is spared when its parser-free
 * hint (shapeHint) matches no template kept), its second text the parse, the patch and the comparison
 * (~3 ms). A device lookup's ~200 hunts (bench/shape-analysis-bench.ts `time`): about +20 % and +30 % of
 * parser time on the first two lookups, a quarter of it from the third on.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KqlAnalyzer, QueryAnalysis } from './analyzer';
import { queryShape, shapeHint, shapeOfSyntax, type QueryShape } from './query-shape';
import { patchedAnalysis, shapeTemplate, type ShapeTemplate } from './shape-template';

/** How the analyses were answered, for measurements and tests. */
export interface ShapeStats {
  full: number;
  patched: number;
  /** Shapes whose template was refused (see shapeTemplate) or whose patch differed from a full analysis. */
  refused: number;
  /** Shapes whose second text's full analysis equalled the patched template. */
  verified: number;
  /** Templates not kept (or dropped) to stay within the cap. */
  evicted: number;
}

/** Measured with the heap (test/stress/shape-analyses-cost.test.ts): an entry's objects and map slots, and a literal's object and index entries besides its text. */
const ENTRY_BYTES = 500;
const LITERAL_BYTES = 200;

/** About the bytes an entry keeps: its key and hint, its template (packed, and each literal) or its refusal's reason. */
function entrySize(key: string, hint: string, kept: ShapeTemplate | string): number {
  const common = ENTRY_BYTES + key.length + hint.length;
  if (typeof kept === 'string') return common + kept.length;
  return common + kept.packed.length + kept.literals.reduce((sum, literal) => sum + LITERAL_BYTES + literal.text.length, 0);
}

type Entry = { hint: string; size: number } & ({ state: 'candidate' | 'ready'; template: ShapeTemplate } | { state: 'refused'; reason: string });

export class ShapeAnalyses {
  /** By shape key, least recently used first. */
  private readonly shapes = new Map<string, Entry>();
  /** How many kept templates (refused shapes do not count: their texts go straight to a full analysis) have each hint. */
  private readonly hints = new Map<string, number>();
  private keptSize = 0;
  readonly stats: ShapeStats = { full: 0, patched: 0, refused: 0, verified: 0, evicted: 0 };

  /** `maxSize`: about the bytes kept at most (entrySize; 13.8 KB on average for the built-in hunts, scoped and tag-marked). */
  constructor(
    private readonly analyzer: Pick<KqlAnalyzer, 'parserResult' | 'analysisOf'>,
    private readonly maxSize: number,
  ) {}

  analysis(text: string): QueryAnalysis {
    const hint = shapeHint(text);
    if (!this.hints.has(hint)) return this.newShape(text, hint);
    const shape = queryShape(text);
    const entry = this.shapes.get(shape.key);
    if (!entry) return this.newShape(text, hint);
    this.touch(shape.key, entry);
    if (entry.state === 'refused' || shape.syntaxErrors) return this.full(text);
    if (entry.state === 'ready') {
      try {
        const patched = patchedAnalysis(entry.template, text, shape.literals);
        this.stats.patched++;
        return patched;
      } catch (error) {
        // A template that cannot be patched for this text (it should not happen): the full analysis answers, and the shape is not tried again.
        this.refuse(shape.key, entry, `the template could not be patched: ${error instanceof Error ? error.message : String(error)}`);
        return this.full(text);
      }
    }
    const full = this.full(text);
    if (isDeepStrictEqual(patchedOrUndefined(entry.template, text, shape.literals), full)) {
      entry.state = 'ready';
      this.stats.verified++;
    } else {
      this.refuse(shape.key, entry, 'the patched template differed from the analysis');
    }
    return full;
  }

  /** Why the shape of `text` is analysed in full each time, if it is. */
  refusal(text: string): string | undefined {
    const entry = this.shapes.get(queryShape(text).key);
    return entry?.state === 'refused' ? entry.reason : undefined;
  }

  /** The full analysis of a text whose shape is not kept; the shape is read from the analysed tree and kept. */
  private newShape(text: string, hint: string): QueryAnalysis {
    this.stats.full++;
    const code = this.analyzer.parserResult(text);
    const analysis = this.analyzer.analysisOf(text, code);
    const shape: Omit<QueryShape, 'syntaxErrors'> = shapeOfSyntax(code.Syntax, text);
    if (this.shapes.has(shape.key)) return analysis;
    const verdict = shape.literals.length > 0 ? shapeTemplate(analysis, shape) : { ok: false as const, reason: 'the query has no literal that may vary' };
    if (!verdict.ok) this.stats.refused++;
    const entry: Entry = verdict.ok
      ? { hint, size: entrySize(shape.key, hint, verdict.template), state: 'candidate', template: verdict.template }
      : { hint, size: entrySize(shape.key, hint, verdict.reason), state: 'refused', reason: verdict.reason };
    this.keep(shape.key, entry);
    return analysis;
  }

  private full(text: string): QueryAnalysis {
    this.stats.full++;
    return this.analyzer.analysisOf(text, this.analyzer.parserResult(text));
  }

  private refuse(key: string, entry: Entry, reason: string): void {
    this.stats.refused++;
    this.forget(key, entry);
    this.keep(key, { hint: entry.hint, size: entrySize(key, entry.hint, reason), state: 'refused', reason });
  }

  private touch(key: string, entry: Entry): void {
    this.shapes.delete(key);
    this.shapes.set(key, entry);
  }

  private keep(key: string, entry: Entry): void {
    if (entry.size > this.maxSize) {
      this.stats.evicted++;
      return;
    }
    while (this.keptSize + entry.size > this.maxSize) {
      const [oldestKey, oldest] = this.shapes.entries().next().value as [string, Entry];
      this.forget(oldestKey, oldest);
      this.stats.evicted++;
    }
    this.shapes.set(key, entry);
    if (entry.state !== 'refused') this.hints.set(entry.hint, (this.hints.get(entry.hint) ?? 0) + 1);
    this.keptSize += entry.size;
  }

  private forget(key: string, entry: Entry): void {
    this.shapes.delete(key);
    this.keptSize -= entry.size;
    if (entry.state === 'refused') return;
    const left = (this.hints.get(entry.hint) ?? 1) - 1;
    if (left > 0) this.hints.set(entry.hint, left);
    else this.hints.delete(entry.hint);
  }

  /** About the bytes kept now (see entrySize), never above the cap. */
  get size(): number {
    return this.keptSize;
  }
}

/** The patched analysis, or undefined when the template cannot be patched for the text (never equal to a full analysis). */
function patchedOrUndefined(template: ShapeTemplate, text: string, literals: QueryShape['literals']): QueryAnalysis | undefined {
  try {
    return patchedAnalysis(template, text, literals);
  } catch {
    return undefined;
  }
}
