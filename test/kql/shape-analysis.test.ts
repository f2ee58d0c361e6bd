import { isDeepStrictEqual } from 'node:util';
import { HuntCatalog } from '../../src/hunts/catalog';
import { exampleArguments } from '../../src/hunts/argument-types';
import { renderHuntQuery } from '../../src/hunts/render';
import { KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf } from '../../src/kql/parser/catalog';
import { ShapeAnalyses, patchedAnalysis, queryShape, shapeTemplate } from '../../src/kql/parser/shape-analysis';

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

describe('a query analysed through its shape template', () => {
  const { catalog } = HuntCatalog.load({ checkQuery: () => [] });

  it('equals a fresh analysis for every built-in hunt, scoped and tag-marked, for another window and device', () => {
    const hunts = catalog.hunts();
    expect(hunts.length).toBeGreaterThan(200);
    const differing: string[] = [];
    hunts.forEach((hunt, i) => {
      // Devices with and without a dot are two shapes (the short name adds a `startswith` clause): alternate them.
      const [first, second] = i % 2 === 0 ? ['ws-0042', "o'brien\\ПК-😀"] : ['ws-0042.contoso.local', "x'.сервер\\z"];
      const template = templateOf(rendered(hunt, before, first));
      const text = rendered(hunt, after, second);
      if (!isDeepStrictEqual(patchedAnalysis(template, text, queryShape(text)), analyzer.analysis(text))) differing.push(hunt.id);
    });
    expect(differing).toEqual([]);
  });

  it('differs from a fresh analysis when the literal constants are left as the template had them (the comparison sees them)', () => {
    const hunt = catalog.hunts().find((h) => h.family === 'rmm')!;
    const template = templateOf(rendered(hunt, before, 'ws-0042'));
    const text = rendered(hunt, after, 'ws-0043');
    const unpatched = patchedAnalysis({ ...template, constants: new Map() }, text, queryShape(text));
    expect(unpatched).not.toEqual(analyzer.analysis(text));
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
  it('answers a shape in full twice (the second checks the template) and patched from the third on', () => {
    const analyses = new ShapeAnalyses(analyzer);
    const text = (device: string, day: number) => `DeviceInfo | where Timestamp > datetime(2026-01-${day}) | where DeviceName =~ '${device}'`;
    for (const [device, day] of [['a', 10], ['bb', 11], ['ccc', 12], ['dddd', 13]] as const) {
      expect(analyses.analysis(text(device, day))).toEqual(analyzer.analysis(text(device, day)));
    }
    expect(analyses.stats).toEqual({ full: 2, patched: 2, refused: 0, verified: 1 });
  });

  it('analyses a text with syntax errors in full even when its masked text is a known shape', () => {
    const analyses = new ShapeAnalyses(analyzer);
    const text = (value: string) => `DeviceInfo | where DeviceName =~ ${value}\n| where Timestamp > datetime(2026-01-01)`;
    for (const value of ["'a'", "'b'", "'c'"]) analyses.analysis(text(value));
    const unterminated = text("'d");
    expect(queryShape(unterminated).syntaxErrors).toBe(true);
    expect(analyses.analysis(unterminated)).toEqual(analyzer.analysis(unterminated));
    expect(analyses.analysis(unterminated).diagnostics).not.toEqual([]);
  });
});
