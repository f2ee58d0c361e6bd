/**
 * Review of the shape templates (h/review-shape): attacks on ShapeAnalyses with the real Kusto parser.
 * Each test here failed on h/shape-wire (26a3705); the commit after the one adding it fixes it.
 */
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';
import { queryShape } from '../../src/kql/parser/query-shape';
import { ShapeAnalyses } from '../../src/kql/parser/shape-analyses';

const analyzer = new KqlAnalyzer(catalogOf());

describe('a shape template never answers a text whose variable literal is of another kind', () => {
  it('gives a datetime compared with a string column its own analysis after two strings verified the shape', () => {
    const text = (value: string) => `DeviceInfo | where DeviceName == ${value}`;
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    analyses.analysis(text("'a'"));
    analyses.analysis(text("'b'"));
    // A broken datetime across lines: another shape, but the same parser-free hint as the third text's.
    analyses.analysis(text('datetime(2026\n01)'));
    const third = text('datetime(2026-01-01)');
    expect(analyses.analysis(third)).toEqual(analyzer.analysis(third));
  });

  it('gives a string compared with a datetime column its own analysis after two datetimes verified the shape', () => {
    const text = (value: string) => `DeviceInfo | where Timestamp == ${value}`;
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    analyses.analysis(text('datetime(2026-01-01)'));
    analyses.analysis(text('datetime(2026-01-02)'));
    // A string broken across lines: another shape, but the same parser-free hint as the third text's.
    analyses.analysis(text("'a\nb'"));
    const third = text("'2026-01-03'");
    expect(analyses.analysis(third)).toEqual(analyzer.analysis(third));
  });

  it('are two shapes: a string and a datetime in the same place', () => {
    expect(queryShape("DeviceInfo | where DeviceName == 'a'").key).not.toBe(queryShape('DeviceInfo | where DeviceName == datetime(2026-01-01)').key);
  });
});
