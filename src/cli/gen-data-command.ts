import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SEED, TELEMETRY_TABLES, sampleNow, telemetryRows } from '../data/generator';
import type { CliCommand } from './io';

const USAGE = 'usage: huntbot gen-data --out DIR [--rows N] [--seed S] [--now ISO] [--devices N] [--tables A,B]';

interface GenDataArgs {
  out: string;
  rows?: number;
  seed: number;
  now: Date;
  devices?: number;
  tables?: string[];
}

/**
 * `huntbot gen-data`: writes the sample telemetry as `<Table>.jsonl` files (one JSON object per line),
 * streaming rows to disk so a million-row table needs no more memory than a small one.
 */
export const genDataCommand: CliCommand = async (args, io) => {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`huntbot gen-data: ${parsed}\n${USAGE}`);
    return 2;
  }
  fs.mkdirSync(parsed.out, { recursive: true });
  const tables = parsed.tables ?? [...TELEMETRY_TABLES];
  const streams = new Map<string, fs.WriteStream>();
  const counts = new Map<string, number>();
  try {
    for (const { table, row } of telemetryRows({ seed: parsed.seed, now: parsed.now, rows: parsed.rows, devices: parsed.devices, tables })) {
      let stream = streams.get(table);
      if (!stream) {
        stream = fs.createWriteStream(path.join(parsed.out, `${table}.jsonl`), { encoding: 'utf8' });
        streams.set(table, stream);
      }
      // Respect back-pressure: wait for the buffer to drain instead of queueing millions of lines.
      if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, 'drain');
      counts.set(table, (counts.get(table) ?? 0) + 1);
    }
  } finally {
    await Promise.all([...streams.values()].map((stream) => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())))));
  }
  for (const table of tables) io.out(`${path.join(parsed.out, `${table}.jsonl`)}: ${counts.get(table) ?? 0} rows`);
  io.out(`seed ${parsed.seed}, now ${parsed.now.toISOString()} (same seed and now give the same rows)`);
  return 0;
};

function parseArgs(args: string[]): GenDataArgs | string {
  let out: string | undefined;
  let rows: number | undefined;
  let seed = DEFAULT_SEED;
  // The bot's sample data uses the same default, so both show the same rows within the hour.
  let now = sampleNow();
  let devices: number | undefined;
  let tables: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (!['--out', '--rows', '--seed', '--now', '--devices', '--tables'].includes(flag)) return `unknown argument ${flag}`;
    if (value === undefined) return `${flag} needs a value`;
    i++;
    if (flag === '--out') out = value;
    else if (flag === '--now') {
      now = new Date(value);
      if (Number.isNaN(now.getTime())) return `--now must be an ISO 8601 time (got ${value})`;
    } else if (flag === '--tables') {
      tables = value.split(',').map((t) => t.trim()).filter(Boolean);
      const unknown = tables.filter((t) => !(TELEMETRY_TABLES as readonly string[]).includes(t));
      if (unknown.length > 0) return `unknown table ${unknown.join(', ')}; tables: ${TELEMETRY_TABLES.join(', ')}`;
    } else {
      const number = Number(value);
      if (!Number.isSafeInteger(number) || number < (flag === '--seed' ? 0 : 1)) return `${flag} must be a whole number (got ${value})`;
      if (flag === '--rows') rows = number;
      else if (flag === '--seed') seed = number;
      else devices = number;
    }
  }
  if (!out) return '--out DIR is required';
  return { out, rows, seed, now, devices, tables };
}
