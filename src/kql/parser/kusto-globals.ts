/**
 * Builds the parser's GlobalState for a schema catalog, and finds the ones the parser's startup
 * snapshot built. It imports only Node.js's own modules on purpose: the snapshot's builder
 * (scripts/parser-snapshot-entry.cjs), which can require nothing else, evaluates this file's
 * compiled form to build the bundled schema's state exactly as the analyser does, and a process
 * started from the snapshot then finds it ready.
 */
import { runInThisContext } from 'node:vm';
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

/** The process's main global object (under jest, not the test file's sandbox). */
function mainGlobal(): Record<string, unknown> {
  return runInThisContext('globalThis') as Record<string, unknown>;
}

/** True in a process started from the parser's startup snapshot: the parser is loaded and the bundled schema's state built. */
export function parserPreloaded(): boolean {
  return mainGlobal()[PRELOADED_GLOBAL_STATES] !== undefined;
}

/** The GlobalState the parser's startup snapshot built for this catalog key, if this process started from one. */
export function preloadedGlobalState(key: string): BridgeGlobalState | undefined {
  return (mainGlobal()[PRELOADED_GLOBAL_STATES] as Record<string, BridgeGlobalState> | undefined)?.[key];
}

