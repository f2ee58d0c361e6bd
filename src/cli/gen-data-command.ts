import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SEED, TELEMETRY_TABLES, minimumTelemetryRows, sampleNow, telemetryRows, type TelemetryOptions } from '../data/generator';
import { HUNTING_TABLES } from '../data/hunting-tables';
import { EXIT_OK, UsageError, defineCommand, isoTime, wholeNumber } from './command-line';

const OPTIONS = {
  out: { type: 'string' },
  rows: { type: 'string' },
  seed: { type: 'string' },
  now: { type: 'string' },
  devices: { type: 'string' },
  tables: { type: 'string' },
} as const;

/**
 * `huntbot gen-data`: writes the sample telemetry as `<Table>.jsonl` files (one JSON object per line),
 * streaming rows to disk so a million-row table needs no more memory than a small one.
 */
export const genDataCommand = defineCommand({
  name: 'gen-data',
  usage: 'usage: huntbot gen-data --out DIR [--rows N] [--seed S] [--now ISO] [--devices N] [--tables A,B]',
  help: `Writes deterministic sample Defender telemetry as <Table>.jsonl files (JSON Lines): a fleet of devices over
the 30 days before --now, ordinary software, every catalogued RMM tool on a few devices and look-alikes
that no hunt may match. The same seed and now give the same rows.

  --out DIR       the folder to write (created if missing; HUNT_DATA_DIR or huntbot query --data read it)
  --rows N        rows over all the tables written, exactly (default 50000); at least the planted RMM
                  activity and one DeviceInfo row per device, and the command says how many that is
  --seed S        the seed (default ${DEFAULT_SEED})
  --now ISO       the end of the 30 days (default: the start of the current UTC hour, as the bot's sample data)
  --devices N     devices in the fleet (default 300)
  --tables A,B    only these tables (default all: ${TELEMETRY_TABLES.join(', ')}); may also name the
                  hunting tables (${HUNTING_TABLES.join(', ')}), which come at a fixed volume
                  per device on top of --rows

Exit 0 when the files are written, 1 on a failure, 2 on a usage error.`,
  options: OPTIONS,
  run: async ({ values, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!values.out) throw new UsageError('--out DIR is required');
    const tables = values.tables === undefined ? [...TELEMETRY_TABLES] : tableList(values.tables);
    const huntingTables = tables.filter((t) => HUNTING_TABLES.includes(t));
    const options: TelemetryOptions = {
      seed: values.seed === undefined ? DEFAULT_SEED : wholeNumber('--seed', values.seed, 0),
      // The bot's sample data uses the same default, so both show the same rows within the hour.
      now: values.now === undefined ? sampleNow() : isoTime('--now', values.now),
      rows: values.rows === undefined ? undefined : wholeNumber('--rows', values.rows, 1),
      devices: values.devices === undefined ? undefined : wholeNumber('--devices', values.devices, 1),
      tables: tables.filter((t) => !huntingTables.includes(t)),
      huntingTables,
    };
    if (options.rows !== undefined) {
      const minimum = minimumTelemetryRows(options);
      if (options.rows < minimum) throw new UsageError(`--rows ${options.rows} is too few: these tables need at least ${minimum} (the planted RMM activity and one DeviceInfo row per device)`);
    }
    const counts = await writeTables(values.out, options);
    for (const table of tables) io.out(`${path.join(values.out, `${table}.jsonl`)}: ${counts.get(table) ?? 0} rows`);
    io.out(`seed ${options.seed}, now ${options.now!.toISOString()} (same seed and now give the same rows)`);
    return EXIT_OK;
  },
});

function tableList(value: string): string[] {
  const tables = value.split(',').map((t) => t.trim()).filter(Boolean);
  const known = [...TELEMETRY_TABLES, ...HUNTING_TABLES];
  const unknown = tables.filter((t) => !known.includes(t));
  if (unknown.length > 0) throw new UsageError(`unknown table ${unknown.join(', ')}; tables: ${known.join(', ')}`);
  if (tables.length === 0) throw new UsageError('--tables needs at least one table');
  return tables;
}

async function writeTables(out: string, options: TelemetryOptions): Promise<Map<string, number>> {
  fs.mkdirSync(out, { recursive: true });
  const streams = new Map<string, fs.WriteStream>();
  const counts = new Map<string, number>();
  try {
    for (const { table, row } of telemetryRows(options)) {
      let stream = streams.get(table);
      if (!stream) {
        stream = fs.createWriteStream(path.join(out, `${table}.jsonl`), { encoding: 'utf8' });
        streams.set(table, stream);
      }
      // Respect back-pressure: wait for the buffer to drain instead of queueing millions of lines.
      if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, 'drain');
      counts.set(table, (counts.get(table) ?? 0) + 1);
    }
  } finally {
    await Promise.all([...streams.values()].map((stream) => new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())))));
  }
  return counts;
}
