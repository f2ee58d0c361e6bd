/**
 * Builds the parser's GlobalState for a schema catalog. It imports nothing at run time on purpose:
 * the snapshot's builder (scripts/parser-snapshot-entry.cjs), which can require only Node.js's own
 * modules, evaluates this file's compiled form to build the bundled schema's state exactly as the
 * analyser does, and a process started from the snapshot then finds it ready (preloaded-parser.ts).
 */
import type { BridgeGlobalState, KustoLanguage } from './bridge-runtime';

/** A catalog as the parser's symbol constructors take it: tables' columns by type name, function declarations. */
export interface CatalogSymbols {
  tables: { name: string; columns: { name: string; type: string }[] }[];
  functions: { name: string; parameters: string; body: string }[];
}

/** The global object's property where the snapshot leaves its GlobalStates, by catalog key. */
export const PRELOADED_GLOBAL_STATES = '__huntbotGlobalStates';

/**
 * Columns are built as symbols of their scalar type, not parsed from schema text ("(A:string, …)"):
 * the same columns (a test compares them), in ~10 ms instead of ~350 ms for the bundled schema's
 * 2,400 columns, which every parser process, workspace schema and data folder with tables of its own pays.
 */
export function globalStateOf(language: KustoLanguage, symbols: CatalogSymbols): BridgeGlobalState {
  const { TableSymbol, ColumnSymbol, ScalarTypes, FunctionSymbol, DatabaseSymbol } = language.Symbols;
  const members: unknown[] = [
    ...symbols.tables.map((t) => new TableSymbol.$ctor6(t.name, t.columns.map((c) => new ColumnSymbol(c.name, ScalarTypes.GetSymbol(c.type))), null)),
    ...symbols.functions.map((f) => new FunctionSymbol.$ctor16(f.name, f.parameters, f.body, null)),
  ];
  return language.GlobalState.Default.WithDatabase(new DatabaseSymbol.$ctor1('hunting', members, false));
}

