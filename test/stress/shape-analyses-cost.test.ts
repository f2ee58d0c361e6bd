/**
 * What a shape template costs for queries far larger than any hunt (ShapeAnalyses runs on the one parser
 * thread every engine worker waits on): making and patching one must not grow with the square of its
 * literals, and the memory it reports against HUNT_PARSER_TEMPLATES_MB must be close to what it keeps.
 * Seconds each, so in the end-to-end project (test/stress/).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';
import { queryShape } from '../../src/kql/parser/query-shape';
import { ShapeAnalyses } from '../../src/kql/parser/shape-analyses';
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

describe('the memory a ShapeAnalyses keeps', () => {
  /** The heap and array buffers in use after full collections (gc reached through a new context, as jest has no --expose-gc). */
  const bytesInUse = (): number => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    gc();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };

  /** The bytes `analyses` holds, measured by letting go of it, against the size it reports. */
  function keptAgainstReported(fill: (analyses: ShapeAnalyses) => void): { kept: number; reported: number } {
    const held = [new ShapeAnalyses(analyzer, 64_000_000)];
    fill(held[0]);
    const reported = held[0].size;
    const before = bytesInUse();
    held.length = 0;
    return { kept: before - bytesInUse(), reported };
  }

  it('is at most twice what it reports for many small shapes (a packed template is not a slice of a 16 KB buffer)', () => {
    const { kept, reported } = keptAgainstReported((analyses) => {
      for (let shape = 0; shape < 200; shape++) {
        for (const device of ['a', 'b', 'c']) analyses.analysis(`DeviceInfo | where DeviceName == '${device}' | where Timestamp > datetime(2026-01-01) | take ${shape + 1}`);
      }
    });
    expect(kept).toBeLessThan(2 * reported);
  });

  it('is at most twice what it reports for a shape of thousands of literals (their texts, objects and the hint count)', () => {
    const text = (day: number) => `print x = pack_array(${Array.from({ length: 4_000 }, (_, i) => `datetime(2026-01-${String(1 + ((i + day) % 28)).padStart(2, '0')})`).join(', ')})`;
    const { kept, reported } = keptAgainstReported((analyses) => [1, 2, 3].forEach((day) => analyses.analysis(text(day))));
    expect(kept).toBeLessThan(2 * reported);
  });
});
