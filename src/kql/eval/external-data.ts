import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { KqlRuntimeError } from '../errors';
import type { SyntaxNode } from '../parser/syntax-node';
import { columnBuilder } from '../storage/column-builder';
import { Table } from '../storage/table';
import type { QueryContext } from './context';
import { decodeStringLiteral } from './literals';
import { parseCsvRecord } from './text-parsers';

/** The largest file externaldata reads locally: it is read whole into memory. */
export const MAX_EXTERNALDATA_FILE_BYTES = 64 * 1024 * 1024;

/** The file that stands for `url` in the external-data folder: its manifest.json entry, else a file named by the URL's SHA-256. */
function localFileFor(url: string, dir: string): string | null {
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    const entry = manifest && typeof manifest === 'object' && Object.hasOwn(manifest, url) ? manifest[url] : undefined;
    if (typeof entry === 'string') return resolve(dir, entry);
  }
  const hashed = join(dir, createHash('sha256').update(url).digest('hex'));
  return existsSync(hashed) ? hashed : null;
}

/**
 * Why `file` may not be read for a query, or null when it may: after following links it must still be
 * inside the folder, be a regular file (not a device or FIFO such as /dev/zero), and fit the size cap.
 * A manifest entry is data, not a licence to read anywhere on the host.
 */
function refusalFor(file: string, dir: string): string | null {
  let real: string;
  let folder: string;
  try {
    real = realpathSync(file);
    folder = realpathSync(dir);
  } catch {
    return 'its file does not exist';
  }
  const within = relative(folder, real);
  if (within === '' || within.startsWith('..') || isAbsolute(within)) return `its file ${file} is outside ${dir}`;
  const stats = statSync(real);
  if (!stats.isFile()) return `its file ${file} is not a regular file`;
  if (stats.size > MAX_EXTERNALDATA_FILE_BYTES) {
    return `its file ${file} is ${stats.size} bytes, over the ${MAX_EXTERNALDATA_FILE_BYTES / 1024 / 1024} MiB limit for externaldata files`;
  }
  return null;
}

function properties(node: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of node.child('WithClause')?.list('Properties') ?? []) {
    const name = p.child('Name')?.text.trim().toLowerCase();
    const value = p.child('Expression')?.text.trim();
    if (name && value !== undefined) out.set(name, /^[@hH]?['"]/.test(value) ? decodeStringLiteral(value) : value);
  }
  return out;
}

const DELIMITERS: Record<string, string> = { csv: ',', tsv: '\t', tsve: '\t', scsv: ';', psv: '|', sohsv: '\u0001' };

/** The records of one file, as raw values per output column. */
function recordsOf(text: string, format: string, columnNames: string[], skipFirst: boolean): unknown[][] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (format === 'json' || format === 'multijson') {
    const trimmed = text.trim();
    const objects: unknown[] = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
    return objects.map((o) => columnNames.map((name) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[name] : undefined)));
  }
  const body = skipFirst ? lines.slice(1) : lines;
  if (format === 'txt' || format === 'raw') return body.map((line) => [line]);
  const delimiter = DELIMITERS[format] ?? ',';
  return body.map((line) => (delimiter === ',' ? parseCsvRecord(line) : line.split(delimiter)));
}

/**
 * externaldata(cols) [urls] with (format=..., ignoreFirstRecord=...). There is no network locally: each
 * URL resolves to a file through HUNT_EXTERNALDATA_DIR (manifest.json mapping URL -> file, or a file
 * named by the URL's SHA-256). A URL with no local file is an error naming it, never an empty list.
 */
export function externalData(node: SyntaxNode, ctx: QueryContext): Table {
  const columns = node.tableColumns ?? [];
  const props = properties(node);
  const urls = node.list('URIs').map((u) => (u.kind === 'StringLiteralExpression' || u.kind === 'CompoundStringLiteralExpression' ? decodeStringLiteral(u.text.trim()) : u.text.trim()));
  const builders = columns.map((c) => columnBuilder(c.type, 64));
  let count = 0;
  for (const url of urls) {
    const dir = ctx.externalDataDir;
    const file = dir ? localFileFor(url, dir) : null;
    if (!dir || !file || !existsSync(file)) {
      throw new KqlRuntimeError(
        dir
          ? `externaldata: no local file for ${url} in ${dir} (add it to manifest.json there)`
          : `externaldata: ${url} cannot be fetched locally; set HUNT_EXTERNALDATA_DIR to a folder whose manifest.json maps it to a file`,
        ctx.position(node),
      );
    }
    const refusal = refusalFor(file, dir);
    if (refusal) throw new KqlRuntimeError(`externaldata: ${url} cannot be read: ${refusal}`, ctx.position(node));
    const extension = /\.([a-z]+)(?:\?|$)/i.exec(url)?.[1]?.toLowerCase();
    const format = (props.get('format') ?? (extension && (extension in DELIMITERS || extension === 'json' || extension === 'txt') ? extension : 'csv')).toLowerCase();
    const skipFirst = (props.get('ignorefirstrecord') ?? 'false').toLowerCase() === 'true';
    for (const record of recordsOf(readFileSync(file, 'utf8'), format, columns.map((c) => c.name), skipFirst)) {
      builders.forEach((b, k) => b.appendRaw(record[k] === undefined ? null : record[k]));
      count++;
    }
    ctx.budget.rows(count, node);
  }
  return new Table(
    columns.map((c) => ({ name: c.name, type: c.type })),
    builders.map((b) => b.build()),
    count,
  );
}
