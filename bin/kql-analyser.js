'use strict';
// The Kusto parser's half of `huntbot query` (src/cli/analysis-process.ts): started from the parser's
// startup snapshot, it answers the analyses its parent asks for on the IPC channel, and ends when the parent lets go.
require('../dist/src/cli/analysis-server.js').serveAnalyses();
