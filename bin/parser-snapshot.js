'use strict';
// Starting huntbot from the Kusto parser's startup snapshot (built by scripts/parser-snapshot.mjs):
// the commands that analyse KQL start a second Node.js process from the snapshot blob, where the
// parser is already loaded and warmed, instead of spending ~1.3 s loading it. Plain JavaScript that
// requires nothing of the build, so the launching process stays small.
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const PARSER_SNAPSHOT_PREFIX = 'kusto-parser-';
/**
 * The commands that load the Kusto parser (the others do not gain from the snapshot). Not `query`: it
 * loads its data here, on every core, and asks a process started from the snapshot for the analysis
 * (src/cli/analysis-process.ts), or none when the analysis is kept.
 */
const PARSER_COMMANDS = new Set(['hunt', 'check', 'validate', 'test']);

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
 * The blob a process can start from: one built for this Node.js, unless HUNTBOT_PARSER_SNAPSHOT=0 or
 * this process already started from it. Undefined: load the parser in the process that needs it.
 */
function usableParserSnapshot() {
  if (globalThis.Kusto !== undefined || process.env.HUNTBOT_PARSER_SNAPSHOT === '0') return undefined;
  try {
    const blob = parserSnapshotFile(path.join(__dirname, '..', 'dist'));
    return existsSync(blob) ? blob : undefined;
  } catch {
    return undefined;
  }
}

/** The arguments that start `script` from `blob`, with this process's Node.js flags but not a debugger's port, which this process holds. */
function startArguments(blob, script) {
  return [...process.execArgv.filter((flag) => !flag.startsWith('--inspect')), '--snapshot-blob', blob, script];
}

/**
 * Runs `script args` in a process started from the snapshot when there is one for this Node.js and
 * the command loads the parser; true when it did (the child's exit code or signal becomes this
 * process's). False: run the command here.
 */
function startFromParserSnapshot(script, args) {
  if (!PARSER_COMMANDS.has(args[0])) return false;
  const blob = usableParserSnapshot();
  if (blob === undefined) return false;
  const child = spawn(process.execPath, [...startArguments(blob, script), ...args], { stdio: 'inherit' });
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

module.exports = { PARSER_SNAPSHOT_PREFIX, parserSnapshotFile, parserVersion, startArguments, startFromParserSnapshot, usableParserSnapshot };
