import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadDataFolder } from '../data/jsonl';
import type { HuntDefinition } from '../domain/hunt-definition';
import { renderHuntQuery } from '../hunts/render';
import { KqlEngine } from '../kql';
import { parseTimespanTicks } from '../kql/values/time';
import { errorMessage } from '../util/error-message';

/** What `<hunt>.fixtures/expect.yaml` says: the instant the hunt runs at, its lookback, and the entities it must and must not hit. */
export interface FixtureExpectation {
  now: Date;
  lookbackMs: number;
  mustHit: string[];
  mustNotHit: string[];
}

/** The outcome for one hunt: passed, or the reasons it failed. */
export interface FixtureOutcome {
  hunt: string;
  fixtures: string;
  failures: string[];
}

/** The fixtures folder next to a hunt file: `hunt.yaml` -> `hunt.fixtures/`. */
export function fixturesDirOf(huntFile: string): string {
  return path.join(path.dirname(huntFile), `${path.basename(huntFile).replace(/\.ya?ml$/i, '')}.fixtures`);
}

function strings(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${field} must be a list of strings`);
  return value as string[];
}

export function readExpectation(dir: string): FixtureExpectation {
  const raw = parseYaml(fs.readFileSync(path.join(dir, 'expect.yaml'), 'utf8')) as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') throw new Error('expect.yaml must be a mapping');
  const now = raw.now === undefined ? new Date() : new Date(String(raw.now));
  if (Number.isNaN(now.getTime())) throw new Error(`expect.yaml: now is not a date: ${String(raw.now)}`);
  const lookback = parseTimespanTicks(String(raw.lookback ?? '7d'));
  if (lookback === null || lookback <= 0n) throw new Error(`expect.yaml: lookback is not a timespan: ${String(raw.lookback)}`);
  const mustHit = strings(raw.mustHit, 'mustHit');
  const mustNotHit = strings(raw.mustNotHit, 'mustNotHit');
  if (mustHit.length + mustNotHit.length === 0) throw new Error('expect.yaml lists no entity under mustHit or mustNotHit');
  return { now, lookbackMs: Number(lookback / 10_000n), mustHit, mustNotHit };
}

/**
 * Runs one hunt on its fixtures through the embedded engine, as the bot renders it, and checks that
 * every mustHit entity appears in some result cell and no mustNotHit entity does (case-insensitively).
 */
export function runHuntOnFixtures(hunt: HuntDefinition, dir: string): FixtureOutcome {
  const outcome: FixtureOutcome = { hunt: `${hunt.name} (${hunt.source})`, fixtures: dir, failures: [] };
  try {
    const expectation = readExpectation(dir);
    const window = { start: new Date(expectation.now.getTime() - expectation.lookbackMs), end: expectation.now };
    const kql = renderHuntQuery(hunt, { window });
    const result = new KqlEngine(loadDataFolder(dir)).query(kql, { now: expectation.now });
    const hit = new Set(result.rows.flatMap((row) => row.map((cell) => (typeof cell === 'string' ? cell.toLowerCase() : JSON.stringify(cell)))));
    for (const entity of expectation.mustHit) if (!hit.has(entity.toLowerCase())) outcome.failures.push(`did not hit ${entity}`);
    for (const entity of expectation.mustNotHit) if (hit.has(entity.toLowerCase())) outcome.failures.push(`hit ${entity}, which it must not`);
  } catch (error) {
    outcome.failures.push(errorMessage(error));
  }
  return outcome;
}
