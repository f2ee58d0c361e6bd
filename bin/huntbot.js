#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
// Commands that analyse KQL run in a process started from the Kusto parser's snapshot when the build made one.
if (!require('./parser-snapshot.js').startFromParserSnapshot(__filename, process.argv.slice(2))) {
  const cli = require('../dist/src/cli/main.js');
  // `huntbot query ... | head` closes stdout early: end quietly with 0, not with an EPIPE stack trace.
  cli.endQuietlyOnClosedPipe(process.stdout, (code) => process.exit(code));
  cli.main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { console.error(`huntbot: ${err && err.message ? err.message : err}`); process.exitCode = 1; },
  );
}
