/**
 * Builds the parser's GlobalState for a schema catalog. It imports nothing at run time on purpose:
 * the snapshot's builder (scripts/parser-snapshot-entry.cjs), which can require only Node.js's own
 * modules, evaluates this file's compiled form to build the bundled schema's state exactly as the
 * analyser does, and a process started from the snapshot then finds it ready (preloaded-parser.ts).
 */
import type { BridgeGlobalState, KustoLanguage } from './bridge-runtime';

/** A catalog as the parser's symbol constructors take it: table schema text, function declarations. */
export interface CatalogSymbols {
  tables: { name: string; schema: string }[];
  functions: { name: string; parameters: string; body: string }[];
}

/** The global object's property where the snapshot leaves its GlobalStates, by catalog key. */
export const PRELOADED_GLOBAL_STATES = '__huntbotGlobalStates';

export function globalStateOf(language: KustoLanguage, symbols: CatalogSymbols): BridgeGlobalState {
  const { TableSymbol, FunctionSymbol, DatabaseSymbol } = language.Symbols;
  const members: unknown[] = [
    ...symbols.tables.map((t) => new TableSymbol.$ctor7(t.name, t.schema, null)),
    ...symbols.functions.map((f) => new FunctionSymbol.$ctor16(f.name, f.parameters, f.body, null)),
  ];
  return language.GlobalState.Default.WithDatabase(new DatabaseSymbol.$ctor1('hunting', members, false));
}

