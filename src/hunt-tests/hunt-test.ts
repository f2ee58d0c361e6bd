import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDataFolder } from '../data/jsonl';
import { timeSpanOf } from '../data/time-span';
import { formatDuration, parseDuration } from '../hunts/duration';
import { DataFileError, KqlQueryError, type KqlDatabase, type QueryLimits } from '../kql';
import type { HuntDefinition } from '../domain/hunt-definition';
import type { QueryWindow } from '../domain/hunt-request';
import { errorMessage } from '../util/error-message';
import { hitIsEntity, hitLabel } from './entity-match';
import { type HuntExpectation, parseExpectFile } from './expect-file';
import { runHuntOnData } from './run-hunt-on-data';
import { shownText } from '../hunts/shown-text';
import { argumentExample, checkArgument, type ArgumentValue } from '../hunts/argument-types';

/** `huntbot test` for one hunt: its fixtures folder as the engine's data, its expect.yaml as the verdict. */

export const EXPECT_FILE = 'expect.yaml';
/** The default window reaches this far beyond the fixtures' first and last time stamps. */
const WINDOW_MARGIN_MS = 60_000;
const MAX_EXPECT_BYTES = 256 * 1024;

export interface HuntTestOutcome {
  /** The hunt file. */
  file: string;
  hunt: string;
  passed: boolean;
  /** The window the hunt ran over and where it came from. */
  window?: { start: string; end: string; from: 'expect.yaml' | 'fixtures' };
  /** The entities the hunt found, as labels. */
  found: string[];
  /** Why it failed: one sentence each, naming the file or the entity. */
  failures: string[];
  /** What the reader should know though nothing failed (tables loaded with inferred types, …). */
  notes: string[];
}

/** `<dir>/<name>.fixtures` for `<dir>/<name>.yaml`. */
export function fixturesDirOf(huntFile: string): string {
  return path.join(path.dirname(huntFile), `${path.basename(huntFile).replace(/\.ya?ml$/i, '')}.fixtures`);
}

export function testHunt(hunt: HuntDefinition, fixturesDir: string, limits?: QueryLimits): HuntTestOutcome {
  const outcome: HuntTestOutcome = { file: hunt.source, hunt: hunt.name, passed: false, found: [], failures: [], notes: [] };
  const fail = (reason: string): HuntTestOutcome => {
    outcome.failures.push(reason);
    return outcome;
  };
  const expectFile = path.join(fixturesDir, EXPECT_FILE);
  const expectation = readExpectation(expectFile);
  if ('reason' in expectation) return fail(`${expectFile}: ${expectation.reason}`);

  const data = loadFixtures(fixturesDir);
  if ('reason' in data) return fail(data.reason);
  const { db } = data;
  outcome.notes.push(...db.notes.filter((note) => ![...(db.provenance.tableIssues?.values() ?? [])].flat().includes(note)));

  const window = windowFor(hunt, db, expectation);
  if ('reason' in window) return fail(window.reason);
  outcome.window = { start: window.start.toISOString(), end: window.end.toISOString(), from: window.from };

  const values = parameterValues(hunt, expectation);
  if ('reason' in values) return fail(`${expectFile}: ${values.reason}`);
  const typedArguments = argumentValues(hunt, expectation);
  if ('reason' in typedArguments) return fail(`${expectFile}: ${typedArguments.reason}`);
  let hits;
  try {
    hits = runHuntOnData(hunt, db, { window, values: values.values, arguments: typedArguments.arguments, limits }).hits;
  } catch (error) {
    if (error instanceof KqlQueryError) return fail(`${hunt.source}: the query does not run on the embedded engine: ${error.diagnostics.map((d) => `${d.code} at line ${d.line}, column ${d.column}: ${d.message}`).join('; ')}`);
    return fail(`${hunt.source}: the hunt failed on its fixtures: ${errorMessage(error)}`);
  }
  outcome.found = hits.map(hitLabel);
  const found = outcome.found.length > 0 ? outcome.found.join(', ') : 'nothing';
  for (const entity of expectation.hit) {
    if (!hits.some((hit) => hitIsEntity(hit, entity))) outcome.failures.push(`expected a hit on ${entity}, but the hunt did not find it (it found ${found})`);
  }
  for (const entity of expectation.miss) {
    const hit = hits.find((h) => hitIsEntity(h, entity));
    if (hit) outcome.failures.push(`expected no hit on ${entity}, but the hunt found it (${hit.count} ${hit.count === 1 ? 'event' : 'events'})`);
  }
  outcome.passed = outcome.failures.length === 0;
  return outcome;
}

function readExpectation(file: string): HuntExpectation | { reason: string } {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { reason: 'is not a file' };
    if (stat.size > MAX_EXPECT_BYTES) return { reason: `is larger than ${MAX_EXPECT_BYTES / 1024} KB` };
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { reason: code === 'ENOENT' ? `missing: the fixtures folder needs an ${EXPECT_FILE} with hit: and/or miss: lists` : `cannot be read (${code ?? errorMessage(error)})` };
  }
  const parsed = parseExpectFile(text);
  return parsed.ok ? parsed.expectation : { reason: parsed.reason };
}

/** The fixtures as a database, or why they cannot prove anything: unreadable, empty, or with lines dropped. */
function loadFixtures(dir: string): { db: KqlDatabase } | { reason: string } {
  let db: KqlDatabase;
  try {
    db = loadDataFolder(dir);
  } catch (error) {
    return { reason: error instanceof DataFileError ? error.message : `${dir}: ${errorMessage(error)}` };
  }
  if (db.tableNames().length === 0) return { reason: `${dir}: no <Table>.jsonl files (e.g. DeviceProcessEvents.jsonl, one JSON object per line)` };
  // A dropped line or an unusable time stamp would make a pass or a miss prove nothing.
  const issues = [...(db.provenance.tableIssues?.values() ?? [])].flat();
  if (issues.length > 0) return { reason: `${dir}: ${issues.join('; ')}` };
  return { db };
}

/** expect.yaml's window, else the fixtures' time stamps widened by a minute each side. */
function windowFor(hunt: HuntDefinition, db: KqlDatabase, expectation: HuntExpectation): (QueryWindow & { from: 'expect.yaml' | 'fixtures' }) | { reason: string } {
  if (expectation.window) return withinMaximum(hunt, { ...expectation.window, from: 'expect.yaml' });
  const span = timeSpanOf(db);
  if (!span) return { reason: `no fixture row has a Timestamp or TimeGenerated; set window: {start: ..., end: ...} in ${EXPECT_FILE}` };
  return withinMaximum(hunt, { start: new Date(span.earliest.getTime() - WINDOW_MARGIN_MS), end: new Date(span.latest.getTime() + WINDOW_MARGIN_MS), from: 'fixtures' });
}

function withinMaximum<T extends QueryWindow & { from: string }>(hunt: HuntDefinition, window: T): T | { reason: string } {
  const span = window.end.getTime() - window.start.getTime();
  if (span <= hunt.maxWindowMs) return window;
  const what = window.from === 'fixtures' ? "the fixtures' time stamps span" : `the ${EXPECT_FILE} window spans`;
  return { reason: `${what} ${formatDuration(span)}, more than the ${formatDuration(hunt.maxWindowMs)} the hunt allows; set a shorter window: in ${EXPECT_FILE} or move the fixtures' time stamps closer` };
}

/** expect.yaml's values for the hunt's typed arguments, each validated by its type exactly as a chat command's would be. */
function argumentValues(hunt: HuntDefinition, expectation: HuntExpectation): { arguments: Record<string, ArgumentValue> } | { reason: string } {
  const declared = hunt.arguments ?? [];
  for (const name of Object.keys(expectation.arguments)) {
    if (!declared.some((a) => a.name === name)) return { reason: `the hunt declares no argument named ${shownText(name, 40)}` };
  }
  const values: Record<string, ArgumentValue> = {};
  for (const argument of declared) {
    const raw = expectation.arguments[argument.name];
    if (raw === undefined) return { reason: `the hunt's argument ${argument.name} needs a value: add arguments: { ${argument.name}: ${argumentExample(argument.type)} }` };
    const checked = checkArgument(argument.type, raw);
    if (!checked.ok) return { reason: `argument ${argument.name}: ${checked.message}` };
    values[argument.name] = checked.argument;
  }
  return { arguments: values };
}

/** expect.yaml's parameter values, a timespan written `30m` as milliseconds (what render.ts takes). */
function parameterValues(hunt: HuntDefinition, expectation: HuntExpectation): { values: Record<string, unknown> } | { reason: string } {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(expectation.parameters)) {
    const declared = hunt.parameters.find((p) => p.name === name);
    if (declared?.type === 'timespan' && typeof value === 'string') {
      const ms = parseDuration(value);
      if (ms === undefined) return { reason: `parameter ${name} must be a duration like 30m, 12h or 7d` };
      values[name] = ms;
    } else values[name] = value;
  }
  return { values };
}
