import type { KqlDiagnostic } from '../types';
import { type BridgeCode, type BridgeGlobalState, keptGlobalState, kustoRuntime } from './bridge-runtime';
import { type CatalogSymbols, globalStateOf } from './kusto-globals';
import { preloadedGlobalState } from './preloaded-parser';
import { FILE_PROFILE_DECLARATION, type SchemaCatalog } from './catalog';
import { acceptBareFileProfileColumns } from './file-profile-arguments';
import { type ColumnInfo, type PlainSyntax, SyntaxNode, columnsOf, plainSyntaxOf } from './syntax-node';

/** A query after the official parser and semantic analyser have run over it. */
export interface AnalyzedQuery {
  text: string;
  root: SyntaxNode;
  diagnostics: KqlDiagnostic[];
  /** The query's output schema as the analyser computes it (names like count_, set_SHA1). */
  resultColumns: ColumnInfo[] | null;
}

/**
 * An analysed query as plain data (structured-clone friendly): what a thread that never loads the
 * parser needs to evaluate it. See analyzedQueryOf.
 */
export interface QueryAnalysis {
  text: string;
  tree: PlainSyntax;
  diagnostics: KqlDiagnostic[];
  resultColumns: ColumnInfo[] | null;
}

/** The evaluator's view of a plain analysis. */
export function analyzedQueryOf(analysis: QueryAnalysis): AnalyzedQuery {
  return { text: analysis.text, root: SyntaxNode.of(analysis.tree, analysis.text), diagnostics: analysis.diagnostics, resultColumns: analysis.resultColumns };
}

/** 1-based line and column of an offset, for people reading diagnostics. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses and analyses queries against one schema catalog; the GlobalState is built once per catalog. */
export class KqlAnalyzer {
  private globals: BridgeGlobalState | null = null;

  constructor(private readonly catalog: SchemaCatalog) {}

  analyze(text: string): AnalyzedQuery {
    return analyzedQueryOf(this.analysis(text));
  }

  /** Parses and analyses `text` into plain data (see QueryAnalysis). */
  analysis(text: string): QueryAnalysis {
    return this.analysisOf(text, this.parserResult(text));
  }

  /** The plain data of the parser's own result for `text` (parserResult): what analysis(text) gives, without parsing again. */
  analysisOf(text: string, code: BridgeCode): QueryAnalysis {
    const tree = plainSyntaxOf(code.Syntax);
    return { text, tree, diagnostics: this.diagnosticsOf(text, code, () => tree), resultColumns: columnsOf(code.ResultType?.Columns) };
  }

  /**
   * The diagnostics analysis(text) gives, without the plain copy of the syntax tree unless one of
   * them needs it: what a check of a query (checkQuery) wants, a fifth quicker.
   */
  diagnostics(text: string): KqlDiagnostic[] {
    const code = this.parserResult(text);
    return this.diagnosticsOf(text, code, () => plainSyntaxOf(code.Syntax));
  }

  private diagnosticsOf(text: string, code: BridgeCode, treeOf: () => PlainSyntax): KqlDiagnostic[] {
    const list = code.GetDiagnostics();
    const diagnostics: KqlDiagnostic[] = [];
    for (let i = 0; i < list.Count; i++) {
      const d = list.getItem(i);
      diagnostics.push({
        severity: d.Severity,
        code: d.Code,
        message: d.Message,
        start: d.Start,
        length: d.Length,
        ...lineColumnOf(text, d.Start),
      });
    }
    // Defender's own FileProfile takes a bare column (our declaration of it cannot say so).
    return this.catalog.functions.includes(FILE_PROFILE_DECLARATION) ? acceptBareFileProfileColumns(() => SyntaxNode.of(treeOf(), text), diagnostics) : diagnostics;
  }

  /** The official parser's own result for `text` (Bridge.NET objects: only this folder and its tests read them). */
  parserResult(text: string): BridgeCode {
    return kustoRuntime().language.KustoCode.ParseAndAnalyze(text, this.globalState());
  }

  /** Engines over the same catalog share one state (keptGlobalState); a process started from the parser's snapshot finds the bundled schema's ready. */
  private globalState(): BridgeGlobalState {
    if (this.globals) return this.globals;
    const key = catalogKey(this.catalog);
    this.globals = preloadedGlobalState(key) ?? keptGlobalState(key, () => globalStateOf(kustoRuntime().language, catalogSymbols(this.catalog)));
    return this.globals;
  }
}

/** What identifies a catalog's GlobalState (here and in the parser's startup snapshot). */
export function catalogKey(catalog: SchemaCatalog): string {
  return JSON.stringify(catalog);
}

export function catalogSymbols(catalog: SchemaCatalog): CatalogSymbols {
  return {
    tables: catalog.tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) })),
    functions: catalog.functions.map((f) => ({ name: f.name, parameters: f.parameters, body: f.body })),
  };
}
