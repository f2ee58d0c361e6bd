'use strict';
// Entry of `node --build-snapshot` (scripts/parser-snapshot.mjs): loads Microsoft's Kusto parser
// (Bridge.NET, ~5 MB of minified JavaScript) and builds the bundled schema's global state, the
// ~1.5 s a process otherwise spends before its first analysis, so that `huntbot` started from the snapshot
// blob (bin/huntbot.js) has the parser ready. While a snapshot is built only built-in modules can
// be required, so the bundles are read and evaluated in the global scope, as their loader does.
const fs = require('node:fs');
const v8 = require('node:v8');

const bundles = JSON.parse(process.env.HUNTBOT_KUSTO_BUNDLES || '[]');
if (bundles.length !== 2) throw new Error('HUNTBOT_KUSTO_BUNDLES must name bridge.min.js and Kusto.Language.Bridge.min.js');
for (const file of bundles) (0, eval)(fs.readFileSync(file, 'utf8'));
const language = globalThis.Kusto.Language;
// The bundled schema's GlobalState, built by the analyser's own code (dist/src/kql/parser/kusto-globals.js,
// which requires nothing) and warmed by one analysis; the analyser finds it by its catalog key.
const globalsModule = { exports: {} };
new Function('exports', 'module', fs.readFileSync(process.env.HUNTBOT_KUSTO_GLOBALS_JS, 'utf8'))(globalsModule.exports, globalsModule);
const { globalStateOf, PRELOADED_GLOBAL_STATES } = globalsModule.exports;
const states = {};
for (const { key, symbols, warmUp } of JSON.parse(fs.readFileSync(process.env.HUNTBOT_KUSTO_CATALOGS, 'utf8'))) {
  states[key] = globalStateOf(language, symbols);
  language.KustoCode.ParseAndAnalyze(warmUp, states[key]).GetDiagnostics();
}
globalThis[PRELOADED_GLOBAL_STATES] = states;

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // `node --snapshot-blob BLOB SCRIPT ARGS...`: process.argv is [node, SCRIPT, ARGS...], as for `node SCRIPT ARGS...`.
  const script = process.argv[1];
  require('node:module').createRequire(script)(script);
});
