import { kustoRuntime } from '../../src/kql/parser/bridge-runtime';
import { globalStateOf } from '../../src/kql/parser/kusto-globals';
import { catalogSymbols, KqlAnalyzer } from '../../src/kql/parser/analyzer';
import { catalogOf, schemaText } from '../../src/kql/parser/catalog';
import type { TableSchema } from '../../src/kql/schema';

/** The parts of the parser's symbols this file reads. */
interface Column {
  Name: string;
  Type: { Name: string };
  Description: string;
}
interface Table {
  Name: string;
  Columns: { Count: number; getItem(i: number): Column };
}
interface Database {
  Members: { Count: number; getItem(i: number): Table };
}

function columnsOf(table: Table): Column[] {
  return Array.from({ length: table.Columns.Count }, (_, i) => table.Columns.getItem(i));
}

/** Each table as the parser reads it from schema text "(A:string, …)": the way the catalog was built before. */
function tablesFromSchemaText(tables: readonly TableSchema[]): Table[] {
  const { TableSymbol } = kustoRuntime().language.Symbols;
  return tables.map((t) => new TableSymbol.$ctor7(t.name, schemaText(t.columns), null) as Table);
}

/** The tables of the GlobalState globalStateOf builds. */
function tablesOfGlobalState(tables: readonly TableSchema[]): Table[] {
  const catalog = { ...catalogOf(), tables: [...tables] };
  const state = globalStateOf(kustoRuntime().language, catalogSymbols(catalog)) as unknown as { Database: Database };
  const members = state.Database.Members;
  return Array.from({ length: members.Count }, (_, i) => members.getItem(i)).filter((m) => tables.some((t) => t.name === m.Name));
}

function sameColumns(built: Table, parsed: Table): void {
  expect(built.Name).toBe(parsed.Name);
  const a = columnsOf(built);
  const b = columnsOf(parsed);
  expect(a.map((c) => c.Name)).toEqual(b.map((c) => c.Name));
  // The very same scalar type symbols, not merely equal names.
  a.forEach((column, i) => expect(column.Type).toBe(b[i].Type));
  expect(a.map((c) => c.Description)).toEqual(b.map((c) => c.Description));
}

describe("the parser's GlobalState for a catalog", () => {
  test('has every bundled table with the columns and types the parser reads from its schema text', () => {
    const bundled = catalogOf().tables;
    const built = tablesOfGlobalState(bundled);
    const parsed = tablesFromSchemaText(bundled);
    expect(built).toHaveLength(bundled.length);
    built.forEach((table, i) => sameColumns(table, parsed[i]));
  });

  test('keeps column names that need quoting in KQL, and every scalar type, exactly', () => {
    const odd: TableSchema = {
      name: 'Odd Table_CL',
      columns: [
        { name: 'with space', type: 'string' },
        { name: 'where', type: 'long' },
        { name: "it's", type: 'dynamic' },
        { name: 'Ünïcode', type: 'datetime' },
        { name: 'b', type: 'bool' },
        { name: 'i', type: 'int' },
        { name: 'r', type: 'real' },
        { name: 'd', type: 'decimal' },
        { name: 't', type: 'timespan' },
        { name: 'g', type: 'guid' },
      ],
    };
    const [built] = tablesOfGlobalState([odd]);
    sameColumns(built, tablesFromSchemaText([odd])[0]);
  });

  test('analyses a query over those columns as before: types, quoting and unknown names', () => {
    const analyzer = new KqlAnalyzer(catalogOf(undefined, [{ name: 'Odd_CL', columns: [{ name: 'with space', type: 'long' }, { name: 'where', type: 'string' }] }]));
    const fine = analyzer.analysis("Odd_CL | where ['where'] == 'x' | summarize total = sum(['with space'])");
    expect(fine.diagnostics).toEqual([]);
    expect(fine.resultColumns).toEqual([{ name: 'total', type: 'long' }]);
    const wrong = analyzer.analysis('Odd_CL | where NoSuchColumn == 1');
    expect(wrong.diagnostics.some((d) => d.severity === 'Error' && /NoSuchColumn/.test(d.message))).toBe(true);
  });
});
