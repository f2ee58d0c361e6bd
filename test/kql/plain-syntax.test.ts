import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzerFor } from '../../src/kql';
import { type BridgeElement, symbolKindName, syntaxKindName } from '../../src/kql/parser/bridge-runtime';
import { type PlainSyntax, SyntaxNode, kustoTypeOf } from '../../src/kql/parser/syntax-node';

// The published hunts (bench/corpus) plus constructs the corpus rarely uses: every syntax the evaluator walks.
const CORPUS = path.join(__dirname, '..', '..', 'bench', 'corpus', 'queries');
const QUERIES: Array<[string, string]> = [
  ...fs
    .readdirSync(CORPUS)
    .filter((f) => f.endsWith('.kql'))
    .sort()
    .map((f): [string, string] => [f, fs.readFileSync(path.join(CORPUS, f), 'utf8')]),
  ['literals', "print a = 0x1F, b = 2.5, c = decimal(1.25), d = true, e = datetime(2024-01-01), f = 1d, g = guid(00000000-0000-0000-0000-000000000001), h = @'c:\\x', i = 'a' 'b', j = long(null)"],
  ['functions', 'let f = (x:long, y:string = "d") { x + 1 }; // a comment\nrange n from 1 to 3 step 1 | extend m = f(n) | mv-expand v = pack_array(n, m) to typeof(long) | parse tostring(v) with * "1" rest'],
];

const analyzer = analyzerFor([]);

/** Every difference between the parser's own element and its plain copy, as paths; [] when they agree. */
function differences(el: BridgeElement, plain: PlainSyntax, source: string, at: string): string[] {
  const view = SyntaxNode.of(plain, source);
  const out: string[] = [];
  const expect = (what: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) out.push(`${at} ${what}: ${JSON.stringify(ours)} (plain) vs ${JSON.stringify(theirs)} (parser)`);
  };
  expect('kind', view.kind, syntaxKindName(el.Kind));
  expect('isToken', view.isToken, el.IsToken);
  expect('isMissing', view.isMissing, el.IsMissing);
  expect('start', view.start, el.TextStart);
  expect('end', view.end, el.End);
  expect('text', view.text, el.IsToken ? (el.Text ?? '') : el.ToString(0));
  if (!el.IsToken) {
    const type = el.ResultType;
    expect('typeName', view.typeName, type ? type.Name : null);
    expect('scalarType', view.scalarType, type ? kustoTypeOf(type.Name) : null);
    expect('columns', JSON.stringify(view.tableColumns), JSON.stringify(type?.Columns ? Array.from({ length: type.Columns.Count }, (_, i) => type.Columns!.getItem(i)).map((c) => ({ name: c.Name, type: kustoTypeOf(c.Type.Name) ?? 'dynamic' })) : null));
    const symbol = el.ReferencedSymbol;
    expect('symbol', JSON.stringify(view.symbol), JSON.stringify(symbol ? { name: symbol.Name, kind: symbolKindName(symbol.Kind) } : null));
    const constant = el.ConstantValue;
    expect('constant', view.constantValue === undefined ? null : String(view.constantValue), constant === null || constant === undefined ? null : String(constant));
  }
  expect('child count', plain.children?.length ?? 0, el.ChildCount);
  for (let i = 0; i < el.ChildCount; i++) {
    const name = el.GetName(i);
    expect(`child ${i} name`, plain.names?.[i] ?? null, name);
    const child = el.GetChild(i);
    const plainChild = plain.children?.[i] ?? null;
    if (!child || !plainChild) {
      expect(`child ${i} presence`, plainChild !== null, child !== null);
      continue;
    }
    out.push(...differences(child, plainChild, source, `${at}/${name ?? i}`));
  }
  return out;
}

describe('the plain copy of an analysed query (what engine workers evaluate without the parser)', () => {
  it.each(QUERIES)('says what the parser says of %s, element for element', (_name, kql) => {
    const code = analyzer.parserResult(kql);
    const analysis = analyzer.analysisOf(kql, code);
    // What a worker receives: a structured clone.
    const received = structuredClone(analysis);
    expect(differences(code.Syntax, received.tree, kql, 'root')).toEqual([]);
  });
});
