'use strict';
// Run from a freshly built parser snapshot (scripts/parser-snapshot.mjs): says whether the parser it holds answers.
const language = globalThis.Kusto && globalThis.Kusto.Language;
const code = language && language.KustoCode.ParseAndAnalyze('print x = 1', language.GlobalState.Default);
process.stdout.write(code && code.GetDiagnostics().Count === 0 ? 'parser ready\n' : 'parser missing\n');
