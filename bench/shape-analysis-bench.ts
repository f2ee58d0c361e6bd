/**
 * Shape templates (src/kql/parser/shape-analysis.ts), measured: `node dist/bench/shape-analysis-bench.js diff`
 * renders every built-in hunt for several windows, devices and tag filters and compares each patched
 * template with a fresh full analysis (prints counts, and every difference); `... time [rounds]` times
 * the ~197 scoped RMM hunts of a device lookup, full analysis vs patched template, alternated, warm.
 * It asserts nothing; research numbers only.
 */
import { isDeepStrictEqual } from 'node:util';
import type { QueryWindow } from '../src/domain/hunt-request';
import type { HuntDefinition } from '../src/domain/hunt-definition';
import { exampleArguments } from '../src/hunts/argument-types';
import { HuntCatalog } from '../src/hunts/catalog';
import { type RenderOptions, renderHuntQuery } from '../src/hunts/render';
import { KqlAnalyzer, type QueryAnalysis } from '../src/kql/parser/analyzer';
import { catalogOf } from '../src/kql/parser/catalog';
import { queryShape } from '../src/kql/parser/query-shape';
import { ShapeAnalyses } from '../src/kql/parser/shape-analyses';
import { patchedAnalysis, shapeTemplate } from '../src/kql/parser/shape-template';
import { loadavg } from 'node:os';

const DAY = 86_400_000;
const END = Date.parse('2026-12-04T10:17:23.456Z');
const WINDOWS: QueryWindow[] = [
  { start: new Date(END - 7 * DAY), end: new Date(END) },
  { start: new Date(END - DAY - 1234), end: new Date(END - 5000) },
  { start: new Date(Date.parse('1999-12-31T23:59:59.999Z')), end: new Date(Date.parse('2000-01-05T00:00:00Z')) },
];
/** Without a dot (adds the `startswith '<name>.'` clause) and with one: two shapes per hunt. */
const SHORT_DEVICES = ['ws-0042', "o'brien\\pc", 'ПК-бухгалтерия-😀', 'a'];
const DOTTED_DEVICES = ['ws-0042.contoso.local', "x'.y\\z", 'сервер.пример.рф'];

interface Variant {
  label: string;
  options: (window: QueryWindow, device: string) => RenderOptions;
  devices: string[];
}

function variants(hunt: HuntDefinition): Variant[] {
  const args = exampleArguments(hunt);
  const marks = (window: QueryWindow) => ({ watchlistAlias: 'HuntBotExclusions', huntKey: `${hunt.family}/${hunt.tool}`, now: window.end, mode: 'mark' as const });
  const out: Variant[] = [];
  for (const tags of [false, true]) {
    const exclusions = (w: QueryWindow) => (tags ? { exclusions: marks(w) } : {});
    out.push({ label: `unscoped${tags ? '+mark' : ''}`, devices: ['-'], options: (window) => ({ window, arguments: args, ...exclusions(window) }) });
    for (const [name, devices] of [['short', SHORT_DEVICES], ['dotted', DOTTED_DEVICES]] as const) {
      out.push({ label: `${name}${tags ? '+mark' : ''}`, devices, options: (window, device) => ({ window, arguments: args, scope: { device }, ...exclusions(window) }) });
    }
  }
  return out;
}

function diff(): void {
  const analyzer = new KqlAnalyzer(catalogOf());
  const { catalog } = HuntCatalog.load({ checkQuery: () => [] });
  const hunts = catalog.hunts();
  let shapes = 0;
  let refused = 0;
  let compared = 0;
  let equal = 0;
  const refusals = new Map<string, number>();
  const differing: string[] = [];
  const failedHunts = new Set<string>();
  for (const hunt of hunts) {
    for (const variant of variants(hunt)) {
      const texts = WINDOWS.flatMap((w) => variant.devices.map((d) => renderHuntQuery(hunt, variant.options(w, d))));
      const first = texts[0];
      const shape = queryShape(first);
      shapes++;
      const verdict = shapeTemplate(analyzer.analysis(first), shape);
      if (!verdict.ok) {
        refused++;
        refusals.set(verdict.reason.replace(/\d+/g, 'N'), (refusals.get(verdict.reason.replace(/\d+/g, 'N')) ?? 0) + 1);
        failedHunts.add(hunt.id);
        continue;
      }
      for (const text of texts.slice(1)) {
        const other = queryShape(text);
        if (other.key !== shape.key) {
          differing.push(`${hunt.family}/${hunt.tool}/${hunt.kind} ${variant.label}: a different shape`);
          continue;
        }
        compared++;
        const patched = patchedAnalysis(verdict.template, text, other.literals);
        const fresh = analyzer.analysis(text);
        if (isDeepStrictEqual(patched, fresh)) equal++;
        else {
          failedHunts.add(hunt.id);
          differing.push(`${hunt.family}/${hunt.tool}/${hunt.kind} ${variant.label}: ${firstDifference(patched, fresh)}`);
        }
      }
    }
  }
  console.log(JSON.stringify({ hunts: hunts.length, huntsAllPatched: hunts.length - failedHunts.size, shapes, refused, refusals: Object.fromEntries(refusals), compared, equal, differing: differing.slice(0, 30), differingCount: differing.length }, null, 2));
}

function firstDifference(a: unknown, b: unknown, at = ''): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}.${key}`);
    if (d) return d;
  }
  return `${at}: differ`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The device lookup's scoped RMM hunts, as hunt-runner renders them (tags marked). */
function lookupTexts(hunts: HuntDefinition[], device: string, window: QueryWindow): string[] {
  return hunts.map((hunt) =>
    renderHuntQuery(hunt, { window, scope: { device }, exclusions: { watchlistAlias: 'HuntBotExclusions', huntKey: `${hunt.family}/${hunt.tool}`, now: window.end, mode: 'mark' } }),
  );
}

/**
 * Device lookups (the ~197 scoped RMM hunts, a new device and window each time) through ShapeAnalyses,
 * each alternated with the same texts analysed in full: the first lookup (new shapes), the second (each
 * shape's template checked against a full analysis) and the later ones (patched).
 */
function time(rounds: number): void {
  const analyzer = new KqlAnalyzer(catalogOf());
  const { catalog } = HuntCatalog.load({ checkQuery: () => [] });
  const hunts = catalog.hunts().filter((h) => h.family === 'rmm' && h.format !== 'sentinel');
  let sink = 0;
  const timed = (analyse: (text: string) => QueryAnalysis, texts: string[]): number => {
    const t = performance.now();
    for (const text of texts) sink += analyse(text).tree.end;
    return performance.now() - t;
  };
  const lookup = (round: number) => lookupTexts(hunts, `ws-${String(round).padStart(4, '0')}`, { start: new Date(END - (round + 2) * DAY), end: new Date(END - round * 1000) });
  // Warm-up: the parser's first analyses of a process are slower.
  timed((text) => analyzer.analysis(text), lookup(0));
  const rows: Array<{ round: number; fullMs: number; shapesMs: number }> = [];
  for (let trial = 0; trial < rounds; trial++) {
    const shapes = new ShapeAnalyses(analyzer, 64_000_000);
    for (let round = 1; round <= 4; round++) {
      const texts = lookup(trial * 10 + round);
      const first = (trial + round) % 2 === 0;
      const fullFirst = first ? timed((text) => analyzer.analysis(text), texts) : 0;
      const shapesMs = timed((text) => shapes.analysis(text), texts);
      const fullMs = first ? fullFirst : timed((text) => analyzer.analysis(text), texts);
      rows.push({ round, fullMs, shapesMs });
      console.log(`trial ${trial} lookup ${round}: full ${fullMs.toFixed(0)} ms, through shapes ${shapesMs.toFixed(0)} ms, kept ${(shapes.size / 1e6).toFixed(2)} MB, load ${loadavg()[0].toFixed(2)}`);
    }
    if (trial === rounds - 1) console.log(JSON.stringify(shapes.stats));
  }
  const byRound = [1, 2, 3, 4].map((round) => {
    const of = rows.filter((r) => r.round === round);
    return { lookup: round, medianFullMs: Math.round(median(of.map((r) => r.fullMs))), medianShapesMs: Math.round(median(of.map((r) => r.shapesMs))) };
  });
  console.log(JSON.stringify({ hunts: hunts.length, trials: rounds, byRound, load: loadavg().map((l) => +l.toFixed(2)), sink: sink > 0 }));
}

const [mode = 'diff', rounds = '5'] = process.argv.slice(2);
if (mode === 'time') time(Number(rounds));
else diff();
