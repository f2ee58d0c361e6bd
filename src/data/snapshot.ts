import { threadId } from 'node:worker_threads';
import { errorMessage } from '../util/error-message';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { SharedDatabase } from '../kql/database';
import { BUNDLED_SCHEMA } from '../kql/bundled-schema';

/**
 * A columnar snapshot of a data folder: the loaded columns' bytes as they lie in memory, so a start
 * after the first reads them in a few large blocks instead of parsing the JSON again.
 *
 * Layout: MAGIC, u32 header length, header JSON, zero padding to 8, the data area (every column
 * array, each 8-aligned), TRAILER. The header holds the key (format version, the schema, each file's
 * name, size, mtime, inode and a hash of its first and last 64 KiB), the data area's length and
 * CRC-32 (a check against damage to a local cache, at 40 % of SHA-1's cost on every start), and the
 * database with each array replaced by { $array, offset, length }. Any mismatch
 * (other key, other size, bad checksum, truncation) means the snapshot is not used and is rebuilt.
 */

/** Bump when the loader or this layout changes what a snapshot holds. */
export const SNAPSHOT_FORMAT = 2;
const MAGIC = Buffer.from('HUNTSNAP');
const TRAILER = Buffer.from('SNAPDONE');
const EDGE_BYTES = 64 * 1024;
const BLOCK_BYTES = 64 * 1024 * 1024;

type StoredArray = Float64Array | Uint32Array | Uint16Array | Uint8Array;
const ARRAY_KINDS = { Float64Array, Uint32Array, Uint16Array, Uint8Array } as const;
type ArrayKind = keyof typeof ARRAY_KINDS;

interface ArrayRef {
  $array: ArrayKind;
  offset: number;
  length: number;
}

interface Header {
  key: string;
  dataBytes: number;
  crc32: number;
  database: unknown;
}

/** Where the snapshot of `dir` lives in `cacheDir` (one file per folder). */
export function snapshotPath(cacheDir: string, dir: string): string {
  return join(cacheDir, `data-${createHash('sha1').update(resolve(dir)).digest('hex').slice(0, 16)}.snapshot`);
}

/** What identifies the folder's content: any change to a .jsonl file, the schema or the format gives another key. */
export function snapshotKey(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => /\.jsonl$/i.test(f))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const stat = statSync(file);
      return { name, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, edges: edgeHash(file, stat.size) };
    });
  return JSON.stringify({ format: SNAPSHOT_FORMAT, dir: resolve(dir), schema: bundledSchemaHash(), files });
}

let schemaHash: string | undefined;
/** SHA-1 of the bundled schema the columns are typed by: part of every snapshot's key. */
export function bundledSchemaHash(): string {
  return (schemaHash ??= createHash('sha1').update(JSON.stringify(BUNDLED_SCHEMA.tables)).digest('hex'));
}

/** SHA-1 of a file's first and last 64 KiB: catches an edit that kept size and mtime, at no real cost. */
function edgeHash(file: string, size: number): string {
  const fd = openSync(file, 'r');
  try {
    const hash = createHash('sha1');
    const buf = Buffer.alloc(Math.min(EDGE_BYTES, size));
    hash.update(buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)));
    if (size > EDGE_BYTES) hash.update(buf.subarray(0, readSync(fd, buf, 0, buf.length, Math.max(EDGE_BYTES, size - EDGE_BYTES))));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

const align8 = (n: number) => (n + 7) & ~7;

/** zlib's CRC-32 of `bytes` continued from `crc` (Node.js 20 answers 0 for no bytes after a CRC of 2^31 or more, so those are skipped). */
function crcAfter(bytes: Buffer, crc: number): number {
  return bytes.byteLength === 0 ? crc : crc32(bytes, crc);
}

/** Writes the snapshot atomically (a temporary file renamed over the old one). */
export function writeSnapshot(file: string, key: string, database: SharedDatabase): void {
  const arrays: StoredArray[] = [];
  let dataBytes = 0;
  const seen = new Map<StoredArray, ArrayRef>();
  const plain = JSON.stringify(database, function replacer(this: unknown, _name, value: unknown) {
    if (!ArrayBuffer.isView(value)) return value;
    const array = value as StoredArray;
    let ref = seen.get(array);
    if (!ref) {
      ref = { $array: array.constructor.name as ArrayKind, offset: dataBytes, length: array.length };
      seen.set(array, ref);
      arrays.push(array);
      dataBytes = align8(dataBytes + array.byteLength);
    }
    return ref;
  });
  let crc = 0;
  const bytesOf = (array: StoredArray) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const padding = Buffer.alloc(8);
  for (const array of arrays) {
    crc = crcAfter(bytesOf(array), crc);
    crc = crcAfter(padding.subarray(0, align8(array.byteLength) - array.byteLength), crc);
  }
  const header: Header = { key, dataBytes, crc32: crc, database: JSON.parse(plain) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const lead = Buffer.alloc(align8(MAGIC.length + 4 + headerBytes.length));
  MAGIC.copy(lead, 0);
  lead.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(lead, MAGIC.length + 4);

  mkdirSync(join(file, '..'), { recursive: true });
  // Per thread: a loader thread and an in-process engine of one process may write the same snapshot.
  const temp = `${file}.${process.pid}-${threadId}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, lead);
    for (const array of arrays) {
      writeSync(fd, bytesOf(array));
      writeSync(fd, padding, 0, align8(array.byteLength) - array.byteLength);
    }
    writeSync(fd, TRAILER);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The database in the snapshot when it exists and matches `key`: its data area is read into one
 * SharedArrayBuffer, in large blocks, and every column is a view of it. Otherwise why not.
 */
export function readSnapshot(file: string, key: string): { database: SharedDatabase } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { problem: 'no snapshot yet' };
  }
  // The file is only a cache: whatever is wrong with it means "rebuild", never a failed start.
  try {
    return readOpenSnapshot(fd, key);
  } catch (error) {
    return { problem: `unreadable (${errorMessage(error)})` };
  } finally {
    closeSync(fd);
  }
}

/** A whole number from 0 up: what every offset, length and size in the header must be. */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function readOpenSnapshot(fd: number, key: string): { database: SharedDatabase } | { problem: string } {
  const size = fstatSync(fd).size;
  const lead = Buffer.alloc(MAGIC.length + 4);
  if (readSync(fd, lead, 0, lead.length, 0) !== lead.length || !lead.subarray(0, MAGIC.length).equals(MAGIC)) return { problem: 'not a snapshot file' };
  const headerLength = lead.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + headerLength > size) return { problem: 'truncated (header)' };
  const headerBytes = Buffer.alloc(headerLength);
  if (readSync(fd, headerBytes, 0, headerLength, lead.length) !== headerLength) return { problem: 'truncated (header)' };
  let header: Header;
  try {
    header = JSON.parse(headerBytes.toString('utf8')) as Header;
  } catch {
    return { problem: 'unreadable header' };
  }
  if (typeof header !== 'object' || header === null) return { problem: 'unreadable header' };
  if (header.key !== key) return { problem: 'stale (the data files, the schema or the snapshot format changed)' };
  if (!isCount(header.dataBytes) || !isCount(header.crc32)) return { problem: 'unreadable header (data length or checksum)' };
  const dataStart = align8(lead.length + headerLength);
  if (size !== dataStart + header.dataBytes + TRAILER.length) return { problem: `truncated or padded (${size} bytes, expected ${dataStart + header.dataBytes + TRAILER.length})` };
  const data = new SharedArrayBuffer(header.dataBytes);
  const view = new Uint8Array(data);
  for (let done = 0; done < header.dataBytes; ) {
    const n = readSync(fd, view, done, Math.min(BLOCK_BYTES, header.dataBytes - done), dataStart + done);
    if (n <= 0) return { problem: 'truncated (data)' };
    done += n;
  }
  const trailer = Buffer.alloc(TRAILER.length);
  readSync(fd, trailer, 0, TRAILER.length, dataStart + header.dataBytes);
  if (!trailer.equals(TRAILER)) return { problem: 'no end marker' };
  if (crc32(view) !== header.crc32) return { problem: 'checksum mismatch' };
  let outOfRange = false;
  const database = JSON.parse(JSON.stringify(header.database), (_name, value: unknown) => {
    if (!isArrayRef(value)) return value;
    const Kind = Object.hasOwn(ARRAY_KINDS, value.$array) ? ARRAY_KINDS[value.$array] : undefined;
    const fits = Kind && isCount(value.offset) && isCount(value.length) && value.offset % 8 === 0 && value.offset + value.length * Kind.BYTES_PER_ELEMENT <= header.dataBytes;
    if (!Kind || !fits) {
      outOfRange = true;
      return new Uint8Array(0);
    }
    return new Kind(data as unknown as ArrayBuffer, value.offset, value.length);
  }) as SharedDatabase;
  return outOfRange ? { problem: 'an array lies outside the data' } : { database };
}

function isArrayRef(value: unknown): value is ArrayRef {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, '$array') && Object.hasOwn(value, 'offset');
}
