'use strict';
// Starting huntbot from the Kusto parser's startup snapshot (built by scripts/parser-snapshot.mjs):
// the commands that analyse KQL start a second Node.js process from the snapshot blob, where the
// parser is already loaded and warmed, instead of spending ~1.3 s loading it. Plain JavaScript that
// requires nothing of the build, so the launching process stays small.
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const PARSER_SNAPSHOT_PREFIX = 'kusto-parser-';
/** The commands that load the Kusto parser (the others do not gain from the snapshot). */
const PARSER_COMMANDS = new Set(['hunt', 'query', 'check', 'validate', 'test']);

/** The installed @kusto/language-service-next's version. */
function parserVersion() {
  const bundle = require.resolve('@kusto/language-service-next/bridge.min.js');
  return JSON.parse(readFileSync(path.join(path.dirname(bundle), 'package.json'), 'utf8')).version;
}

/** The blob for this parser version and this Node.js (a blob only starts the Node.js that built it). */
function parserSnapshotFile(distDir) {
  return path.join(distDir, `${PARSER_SNAPSHOT_PREFIX}${parserVersion()}-node${process.versions.node}-${process.platform}-${process.arch}.blob`);
}

/**
 * Runs `script args` in a process started from the snapshot when there is one for this Node.js and
 * the command loads the parser; true when it did (the child's exit code or signal becomes this
 * process's). False: run the command here. HUNTBOT_PARSER_SNAPSHOT=0 turns this off.
 */
function startFromParserSnapshot(script, args) {
  if (globalThis.Kusto !== undefined || process.env.HUNTBOT_PARSER_SNAPSHOT === '0' || !PARSER_COMMANDS.has(args[0])) return false;
  let blob;
  try {
    blob = parserSnapshotFile(path.join(__dirname, '..', 'dist'));
  } catch {
    return false;
  }
  if (!existsSync(blob)) return false;
  // Node.js flags go along (--cpu-prof, --max-old-space-size...), but not a debugger's port, which this process holds.
  const flags = process.execArgv.filter((flag) => !flag.startsWith('--inspect'));
  const child = spawn(process.execPath, [...flags, '--snapshot-blob', blob, script, ...args], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.once('error', (error) => {
    console.error(`huntbot: could not start (${error.message})`);
    process.exitCode = 1;
  });
  child.once('exit', (code, signal) => {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(name, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
  return true;
}

module.exports = { PARSER_SNAPSHOT_PREFIX, parserSnapshotFile, parserVersion, startFromParserSnapshot };
