/**
 * What a shape template costs for queries far larger than any hunt (ShapeAnalyses runs on the one parser
 * thread every engine worker waits on): making and patching one must not grow with the square of its
 * literals, and the memory it reports against HUNT_PARSER_TEMPLATES_MB must be close to what it keeps
 * (measured in a fresh process over the build in dist/). Seconds each, so in the end-to-end project (test/stress/).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';
import { queryShape } from '../../src/kql/parser/query-shape';
import { patchedAnalysis, shapeTemplate } from '../../src/kql/parser/shape-template';

const analyzer = new KqlAnalyzer(catalogOf());

describe('the cost of a shape template for a query of thousands of variable literals', () => {
  const elapsedMs = <T>(work: () => T): [T, number] => {
    const started = process.hrtime.bigint();
    const result = work();
    return [result, Number(process.hrtime.bigint() - started) / 1e6];
  };

  it('patches in less time than the syntax-only parse every patched answer pays anyway (offsets are not shifted literal by literal)', () => {
    const text = (day: number) => `print x = pack_array(${Array.from({ length: 16_000 }, (_, i) => `datetime(2026-01-${String(1 + ((i + day) % 28)).padStart(2, '0')})`).join(', ')})`;
    const verdict = shapeTemplate(analyzer.analysis(text(1)), queryShape(text(1)));
    if (!verdict.ok) throw new Error(verdict.reason);
    const [shape, parseMs] = elapsedMs(() => queryShape(text(2)));
    const [, patchMs] = elapsedMs(() => patchedAnalysis(verdict.template, text(2), shape.literals));
    expect(patchMs).toBeLessThan(parseMs);
  });

  it('is made in less time than the full analysis it is made from, for a query of thousands of lets', () => {
    const text = Array.from({ length: 3_000 }, (_, i) => `let a${i} = datetime(2026-01-01);`).join('\n') + `\nprint ${Array.from({ length: 3_000 }, (_, i) => `a${i}`).join(', ')}`;
    const [analysis, analysisMs] = elapsedMs(() => analyzer.analysis(text));
    const shape = queryShape(text);
    const [verdict, templateMs] = elapsedMs(() => shapeTemplate(analysis, shape));
    expect(verdict.ok).toBe(true);
    expect(templateMs).toBeLessThan(analysisMs);
  });
});

describe('the memory a ShapeAnalyses keeps, measured in a fresh process', () => {
  /** What a ShapeAnalyses over each set of texts keeps (bytes freed when it is let go of) against the size it reports (test/support/shape-memory-probe.cjs, one process for every set). */
  function keptAgainstReported(sets: string[][]): Array<{ kept: number; reported: number }> {
    const probe = path.join(__dirname, '..', 'support', 'shape-memory-probe.cjs');
    const run = spawnSync(process.execPath, ['--expose-gc', '--no-flush-bytecode', probe], { input: JSON.stringify(sets), encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`the memory probe failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as Array<{ kept: number; reported: number }>;
  }

  /** Many small shapes: 200, each for three devices. */
  const smallShapes: string[] = [];
  for (let shape = 0; shape < 200; shape++) {
    for (const device of ['a', 'b', 'c']) smallShapes.push(`DeviceInfo | where DeviceName == '${device}' | where Timestamp > datetime(2026-01-01) | take ${shape + 1}`);
  }
  /** One shape of thousands of literals, three times. */
  const manyLiterals = (day: number) => `print x = pack_array(${Array.from({ length: 4_000 }, (_, i) => `datetime(2026-01-${String(1 + ((i + day) % 28)).padStart(2, '0')})`).join(', ')})`;
  let small: { kept: number; reported: number };
  let large: { kept: number; reported: number };
  beforeAll(() => {
    [small, large] = keptAgainstReported([smallShapes, [1, 2, 3].map(manyLiterals)]);
  });

  it('is at most twice what it reports for many small shapes (a packed template is not a slice of a 16 KB buffer)', () => {
    expect(small.reported).toBeGreaterThan(0);
    expect(small.kept).toBeLessThan(2 * small.reported);
  });

  it('is at most twice what it reports for a shape of thousands of literals (their texts, objects and the hint count)', () => {
    expect(large.reported).toBeGreaterThan(0);
    expect(large.kept).toBeLessThan(2 * large.reported);
  });
});
