/**
 * Loads Microsoft's Kusto.Language (compiled to JavaScript by Bridge.NET) on first use and exposes
 * the few members we call through minimal hand-written interfaces. Only this folder touches Bridge
 * objects; everything else sees the typed façade in syntax-node.ts and analyzer.ts.
 */
import type { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';

/** A .NET IReadOnlyList as Bridge.NET exposes it. */
export interface BridgeList<T> {
  Count: number;
  getItem(index: number): T;
}

export interface BridgeTypeSymbol {
  Name: string;
  /** Present on table symbols (the type of tabular expressions). */
  Columns?: BridgeList<{ Name: string; Type: BridgeTypeSymbol }>;
}

export interface BridgeSymbol {
  Name: string;
  Kind: number;
}

export interface BridgeElement {
  Kind: number;
  IsToken: boolean;
  IsMissing: boolean;
  ChildCount: number;
  TextStart: number;
  /** Where the element's leading trivia starts. */
  TriviaStart: number;
  Width: number;
  End: number;
  /** Tokens only: the token's text without trivia. */
  Text?: string;
  GetChild(index: number): BridgeElement | null;
  GetName(index: number): string | null;
  ToString(includeTrivia: number): string;
  /** Nodes only. */
  ResultType?: BridgeTypeSymbol | null;
  ReferencedSymbol?: BridgeSymbol | null;
  IsConstant?: boolean;
  ConstantValue?: unknown;
  /** The node this element is a child of (null at the root). */
  Parent: BridgeElement | null;
  /** The first token of this element (itself for a token). */
  GetFirstToken(): BridgeElement | null;
  /** Tokens only: the next token of the whole tree (end of text: null). */
  GetNextToken(): BridgeElement | null;
}

export interface BridgeDiagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
  Length: number;
}

export interface BridgeCode {
  Syntax: BridgeElement;
  ResultType: BridgeTypeSymbol | null;
  GetDiagnostics(): BridgeList<BridgeDiagnostic>;
}

export interface BridgeGlobalState {
  WithDatabase(db: unknown): BridgeGlobalState;
}

/** The slice of the `Kusto.Language` namespace we use. */
export interface KustoLanguage {
  KustoCode: {
    ParseAndAnalyze(text: string, globals: BridgeGlobalState): BridgeCode;
    Parse(text: string): BridgeCode;
  };
  GlobalState: { Default: BridgeGlobalState };
  Symbols: {
    // Bridge.NET numbers C# overloads: these are the ones that take (name, schema text, description),
    // (name, columns, description), (name, parameter list text, body text, description) and (name, members, isOpen).
    TableSymbol: {
      $ctor7: new (name: string, schema: string, description: string | null) => unknown;
      $ctor6: new (name: string, columns: unknown[], description: string | null) => unknown;
    };
    ColumnSymbol: new (name: string, type: unknown) => unknown;
    /** The scalar type symbol of a type name ("string", "long", …). */
    ScalarTypes: { GetSymbol(typeName: string): unknown };
    FunctionSymbol: {
      $ctor16: new (name: string, parameters: string, body: string, description: string | null) => unknown;
    };
    DatabaseSymbol: { $ctor1: new (name: string, members: unknown[], isOpen: boolean) => unknown };
    SymbolKind: unknown;
  };
  Syntax: { SyntaxKind: unknown };
}

interface BridgeSystem {
  Enum: { toString(enumType: unknown, value: number): string };
}

/** What the two bundles define on the global object. */
interface BridgeGlobals {
  Kusto: { Language: KustoLanguage };
  System: BridgeSystem;
}

let runtime: { language: KustoLanguage; system: BridgeSystem } | null = null;

/**
 * Requires the two minified bundles (bridge first: it defines the Bridge/System globals) with the
 * process's own loader, into the process's main global. In a plain process that is exactly what
 * `require` does. Under jest, whose per-file sandbox would otherwise compile the 10 MB of
 * Bridge.NET again for every test file (~4 s each), it is compiled once per jest worker.
 */
export function kustoRuntime(): { language: KustoLanguage; system: BridgeSystem } {
  if (runtime) return runtime;
  const main = mainGlobal() as typeof globalThis & Partial<BridgeGlobals>;
  // Started from the parser's snapshot (bin/parser-snapshot.js): the bundles are loaded already.
  if (main.Kusto?.Language && main.System) return (runtime = { language: main.Kusto.Language, system: main.System });
  const loader = main.process.getBuiltinModule?.('node:module') as { createRequire: typeof createRequire } | undefined;
  const load = loader ? loader.createRequire(__filename) : require;
  load('@kusto/language-service-next/bridge.min.js');
  load('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const globals = (loader ? main : globalThis) as unknown as BridgeGlobals;
  runtime = { language: globals.Kusto.Language, system: globals.System };
  return runtime;
}

/** The process's main global: the one the bundles are loaded into (under jest, not the test file's sandbox). */
export function mainGlobal(): typeof globalThis {
  return runInThisContext('globalThis') as typeof globalThis;
}

/** Where the GlobalStates already built are kept, by catalog (a symbol from the registry every context shares). */
const GLOBAL_STATES = Symbol.for('sentinel-hunt-bot/kql-global-states');
/** Catalogs whose GlobalState is kept (~5 MB each): a process uses one or two; a jest worker, a few over its files. */
const KEPT_GLOBAL_STATES = 16;

/**
 * The GlobalState for the catalog `key`, built by `build` when none is kept. Building one (symbols for
 * every table and function) and binding its first query take 0.2-1 s. The states are kept beside the
 * runtime they belong to, on the main global, so that under jest a worker builds each catalog's state
 * once rather than once per test file. A GlobalState is immutable, so sharing it changes nothing but
 * the time. The least recently used goes first (a Sentinel workspace's schema changes now and then).
 */
export function keptGlobalState(key: string, build: () => BridgeGlobalState): BridgeGlobalState {
  const main = mainGlobal() as unknown as { [GLOBAL_STATES]?: Map<string, BridgeGlobalState> };
  const kept = (main[GLOBAL_STATES] ??= new Map<string, BridgeGlobalState>());
  const state = kept.get(key) ?? build();
  kept.delete(key);
  kept.set(key, state);
  if (kept.size > KEPT_GLOBAL_STATES) kept.delete(kept.keys().next().value as string);
  return state;
}

const syntaxKindNames = new Map<number, string>();
const symbolKindNames = new Map<number, string>();

/** SyntaxKind enum value -> its C# name (e.g. "HasExpression"), cached. */
export function syntaxKindName(kind: number): string {
  let name = syntaxKindNames.get(kind);
  if (name === undefined) {
    const { language, system } = kustoRuntime();
    name = system.Enum.toString(language.Syntax.SyntaxKind, kind);
    syntaxKindNames.set(kind, name);
  }
  return name;
}

/** SymbolKind enum value -> its C# name (e.g. "Column", "Variable"), cached. */
export function symbolKindName(kind: number): string {
  let name = symbolKindNames.get(kind);
  if (name === undefined) {
    const { language, system } = kustoRuntime();
    name = system.Enum.toString(language.Symbols.SymbolKind, kind);
    symbolKindNames.set(kind, name);
  }
  return name;
}
