import { isDeepStrictEqual } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HuntCatalog } from '../../src/hunts/catalog';
import { exampleArguments } from '../../src/hunts/argument-types';
import { renderHuntQuery } from '../../src/hunts/render';
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';
import { queryShape, shapeHint } from '../../src/kql/parser/query-shape';
import { ShapeAnalyses } from '../../src/kql/parser/shape-analyses';
import { patchedAnalysis, shapeTemplate } from '../../src/kql/parser/shape-template';

const analyzer = new KqlAnalyzer(catalogOf());
const DAY = 86_400_000;
const END = Date.parse('2026-12-04T10:17:23.456Z');
const before = { start: new Date(END - 7 * DAY), end: new Date(END) };
const after = { start: new Date(END - DAY - 1234), end: new Date(END + 5000) };

function rendered(hunt: Parameters<typeof renderHuntQuery>[0], window: typeof before, device: string): string {
  const exclusions = { watchlistAlias: 'HuntBotExclusions', huntKey: `${hunt.family}/${hunt.tool}`, now: window.end, mode: 'mark' as const };
  return renderHuntQuery(hunt, { window, scope: { device }, exclusions, arguments: exampleArguments(hunt) });
}

function templateOf(text: string) {
  const verdict = shapeTemplate(analyzer.analysis(text), queryShape(text));
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict.template;
}

/** A text of one small shape: a datetime and a string compared with a column vary. */
const small = (device: string, day: number) => `DeviceInfo | where Timestamp > datetime(2026-01-${day}) | where DeviceName =~ '${device}'`;

describe('a query analysed through its shape template', () => {
  const { catalog } = HuntCatalog.load({ checkQuery: () => [] });

  // Every built-in hunt, 6 variants and 3 windows each, is compared by `node dist/bench/shape-analysis-bench.js diff`
  // (8,694 patched analyses, all equal); at run time every shape is compared once more before it is trusted.
  it('equals a fresh analysis for a spread of built-in hunts, scoped and tag-marked, for another window and a hostile device', () => {
    const hunts = catalog.hunts().filter((_, i) => i % 9 === 0);
    expect(hunts.length).toBeGreaterThan(20);
    const differing: string[] = [];
    hunts.forEach((hunt, i) => {
      // Devices with and without a dot are two shapes (the short name adds a `startswith` clause): alternate them.
      const [first, second] = i % 2 === 0 ? ['ws-0042', "o'brien\\ПК-😀"] : ['ws-0042.contoso.local', "x'.сервер\\z"];
      const template = templateOf(rendered(hunt, before, first));
      const text = rendered(hunt, after, second);
      if (!isDeepStrictEqual(patchedAnalysis(template, text, queryShape(text).literals), analyzer.analysis(text))) differing.push(hunt.id);
    });
    expect(differing).toEqual([]);
  });

  it('differs from a fresh analysis when the literal constants are left as the template had them (the comparison sees them)', () => {
    const hunt = catalog.hunts().find((h) => h.family === 'rmm')!;
    const template = templateOf(rendered(hunt, before, 'ws-0042'));
    const text = rendered(hunt, after, 'ws-0043');
    const unpatched = patchedAnalysis({ ...template, constants: new Map() }, text, queryShape(text).literals);
    expect(unpatched).not.toEqual(analyzer.analysis(text));
  });

  it("keeps each packed template in memory of its own size, never a view on zlib's output buffer or on a shared pool slab", () => {
    const template = templateOf(small('a', 10));
    expect(template.packed.byteOffset).toBe(0);
    expect(template.packed.buffer.byteLength).toBe(template.packed.length);
  });

  it('gives every answer its own objects: changing one patched analysis leaves the next unchanged', () => {
    const template = templateOf(small('a', 10));
    const one = patchedAnalysis(template, small('bb', 11), queryShape(small('bb', 11)).literals);
    one.tree.kind = 'Changed';
    const two = patchedAnalysis(template, small('bb', 11), queryShape(small('bb', 11)).literals);
    expect(two).toEqual(analyzer.analysis(small('bb', 11)));
  });
});

describe('the literals a shape lets vary', () => {
  const texts = (query: string) => queryShape(query).literals.map((l) => l.text);

  it('are datetimes and strings compared with a name, never table names, function arguments, bracketed names or patterns', () => {
    const query =
      "table('DeviceInfo') | where DeviceName =~ 'a' and Timestamp > datetime(2026-01-01) | extend ['x'] = 'b' " +
      "| where column_ifexists('c', '') == 'd' and DeviceName matches regex 'e' and 'f' == DeviceName and DeviceName in ('g')";
    expect(texts(query)).toEqual(["'a'", 'datetime(2026-01-01)']);
  });

  it('do not include compound strings', () => {
    expect(texts("DeviceInfo | where DeviceName == 'a' 'b'")).toEqual([]);
  });
});

describe('the parser-free shape hint', () => {
  it('is the same for texts that differ only in quoted strings and datetime bodies', () => {
    expect(shapeHint(small('a', 10))).toBe(shapeHint(small("o\\'brien", 11)));
    expect(shapeHint(`T | where A == @'c:\\x' | where B == "q\\"r"`)).toBe(shapeHint(`T | where A == @'d:\\' | where B == "s"`));
  });

  it('differs for texts that differ outside literals, and reads a comment to its line end', () => {
    expect(shapeHint(small('a', 10))).not.toBe(shapeHint(small('a', 10).replace('=~', '==')));
    expect(shapeHint("T // don't\n| where A == 'x'")).toBe(shapeHint("T // don't\n| where A == 'yy'"));
  });
});

describe('a template is refused', () => {
  const verdictOf = (text: string) => shapeTemplate(analyzer.analysis(text), queryShape(text));

  it('when the analysis has diagnostics', () => {
    expect(verdictOf("DeviceInfo | where NoSuchColumn =~ 'a'")).toEqual({ ok: false, reason: 'the analysis has diagnostics' });
  });

  it('when a varying string is compared with a variable rather than a column', () => {
    expect(verdictOf("let v = 'x'; DeviceInfo | where v == 'y'")).toMatchObject({ ok: false, reason: expect.stringContaining('not compared with a column') });
  });

  it('when the let holding a varying datetime is declared more than once (a parameter shadows it)', () => {
    const text = 'let a = datetime(2026-01-01); let f = (a:datetime) { a }; DeviceInfo | where Timestamp > a';
    expect(verdictOf(text)).toMatchObject({ ok: false, reason: expect.stringContaining('declared more than once') });
  });
});

describe('ShapeAnalyses', () => {
  it('answers a shape in full twice (the second checks the template) and patched from the third on, each answer a fresh analysis', () => {
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    for (const [device, day] of [['a', 10], ['bb', 11], ['ccc', 12], ['dddd', 13]] as const) {
      expect(analyses.analysis(small(device, day))).toEqual(analyzer.analysis(small(device, day)));
    }
    expect(analyses.stats).toEqual({ full: 2, patched: 2, refused: 0, verified: 1, evicted: 0 });
  });

  it('analyses a text with syntax errors in full even when its masked text is a known shape', () => {
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    const text = (value: string) => `DeviceInfo | where DeviceName =~ ${value}\n| where Timestamp > datetime(2026-01-01)`;
    for (const value of ["'a'", "'b'", "'c'"]) analyses.analysis(text(value));
    const unterminated = text("'d");
    expect(queryShape(unterminated).syntaxErrors).toBe(true);
    expect(analyses.analysis(unterminated)).toEqual(analyzer.analysis(unterminated));
    expect(analyses.analysis(unterminated).diagnostics).not.toEqual([]);
  });

  it('keeps no more than its cap, dropping the least recently used shape first', () => {
    const shapeA = (device: string) => `DeviceInfo | where DeviceName =~ '${device}'`;
    const shapeB = (device: string) => `DeviceInfo | where DeviceName == '${device}'`;
    const one = new ShapeAnalyses(analyzer, 1_000_000);
    one.analysis(shapeA('a'));
    const cap = Math.floor(one.size * 1.5);
    const analyses = new ShapeAnalyses(analyzer, cap);
    analyses.analysis(shapeA('a'));
    analyses.analysis(shapeB('a'));
    expect(analyses.size).toBeLessThanOrEqual(cap);
    expect(analyses.stats.evicted).toBe(1);
    // A was dropped: its next text is a new shape again (analysed in full, not checked against a template).
    analyses.analysis(shapeA('b'));
    expect(analyses.stats).toMatchObject({ full: 3, verified: 0 });
    expect(analyses.size).toBeLessThanOrEqual(cap);
  });

  it('keeps nothing with a cap of zero, and still answers every text in full', () => {
    const analyses = new ShapeAnalyses(analyzer, 0);
    for (const [device, day] of [['a', 10], ['bb', 11], ['ccc', 12]] as const) expect(analyses.analysis(small(device, day))).toEqual(analyzer.analysis(small(device, day)));
    expect(analyses.stats).toMatchObject({ full: 3, patched: 0 });
    expect(analyses.size).toBe(0);
  });

  it('answers the second text in full, and refuses the shape, when the candidate template cannot be patched', () => {
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    analyses.analysis(small('a', 10));
    const kept = (analyses as unknown as { shapes: Map<string, { template: { packed: Buffer } }> }).shapes.values().next().value!;
    kept.template.packed = Buffer.from('not deflated');
    expect(analyses.analysis(small('bb', 11))).toEqual(analyzer.analysis(small('bb', 11)));
    expect(analyses.refusal(small('ccc', 12))).toBe('the patched template differed from the analysis');
  });

  it('answers in full, and stops trying the shape, when its trusted template cannot be patched', () => {
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    analyses.analysis(small('a', 10));
    analyses.analysis(small('bb', 11));
    const kept = (analyses as unknown as { shapes: Map<string, { template: { packed: Buffer } }> }).shapes.values().next().value!;
    kept.template.packed = Buffer.from('not deflated');
    expect(analyses.analysis(small('ccc', 12))).toEqual(analyzer.analysis(small('ccc', 12)));
    expect(analyses.refusal(small('dddd', 13))).toMatch(/^the template could not be patched: /);
    expect(analyses.stats).toMatchObject({ full: 3, patched: 0, verified: 1, refused: 1 });
  });

  it('refuses a shape for good when the patched template differs from the second full analysis', () => {
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    analyses.analysis(small('a', 10));
    // Spoil the kept template: its analysis now names another column.
    const kept = (analyses as unknown as { shapes: Map<string, { template: { packed: Buffer } }> }).shapes.values().next().value!;
    kept.template.packed = deflateRawSync(inflateRawSync(kept.template.packed).toString().replaceAll('"DeviceName"', '"DeviceNamf"'));
    expect(analyses.analysis(small('bb', 11))).toEqual(analyzer.analysis(small('bb', 11)));
    expect(analyses.analysis(small('ccc', 12))).toEqual(analyzer.analysis(small('ccc', 12)));
    expect(analyses.refusal(small('dddd', 13))).toBe('the patched template differed from the analysis');
    expect(analyses.stats).toMatchObject({ full: 3, patched: 0, refused: 1, verified: 0 });
  });
});

describe('a shape template never answers a text whose variable literal is of another kind', () => {
  // The third text's variable literal is of the other kind; the text before it is another shape (a literal broken
  // across lines) whose parser-free hint is the third text's, so the third is looked up by its shape.
  it.each([
    ['a datetime compared with a string column', 'DeviceName', ["'a'", "'b'", 'datetime(2026\n01)'], 'datetime(2026-01-01)'],
    ['a string compared with a datetime column', 'Timestamp', ['datetime(2026-01-01)', 'datetime(2026-01-02)', "'a\nb'"], "'2026-01-03'"],
  ])('gives %s its own analysis after two texts of the other kind verified the shape', (_, column, before, last) => {
    const text = (value: string) => `DeviceInfo | where ${column} == ${value}`;
    const analyses = new ShapeAnalyses(analyzer, 1_000_000);
    for (const value of before) analyses.analysis(text(value));
    expect(analyses.analysis(text(last))).toEqual(analyzer.analysis(text(last)));
  });

  it('are two shapes: a string and a datetime in the same place', () => {
    expect(queryShape("DeviceInfo | where DeviceName == 'a'").key).not.toBe(queryShape('DeviceInfo | where DeviceName == datetime(2026-01-01)').key);
  });
});
