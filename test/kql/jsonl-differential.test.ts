import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataFolder } from '../../src/data/jsonl';
import { Prng } from '../../src/data/prng';
import { HASH_SEED, hashBytes, mixWord } from '../../src/kql/storage/byte-hash';
import { KqlDatabase, KqlEngine, warmUpKql } from '../../src/kql';

/**
 * The byte scanner (strings hashed four bytes at a time, interned in a byte dictionary) against the
 * JSON.parse path on generated lines full of edge cases: both must give the same table.
 */

beforeAll(warmUpKql);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kql-jsonl-diff-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (text: string) => Buffer.from(text, 'utf8');

/** Pieces of a JSON string's content, as the bytes written between its quotes. */
const STRING_PIECES: Buffer[] = [
  ...['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u0041', '\\u00e9', '\\u4e2d', '\\ud83d\\ude00', '\\ud800', '\\udc00', '\\uFFFD'].map(bytes),
  ...['é', '名', '😀', '\uFFFD', 'x', 'ab', 'abc', 'abcd', ' ', '\u007f'].map(bytes),
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xe2, 0x82]),
  Buffer.from([0xf0, 0x9f, 0x98]),
  Buffer.from([0xed, 0xa0, 0x80]),
];

function stringContent(random: () => number): Buffer {
  const parts: Buffer[] = [bytes('abc'.slice(0, Math.floor(random() * 4)))];
  const count = Math.floor(random() * 6);
  for (let k = 0; k < count; k++) parts.push(random() < 0.4 ? bytes('plain') : STRING_PIECES[Math.floor(random() * STRING_PIECES.length)]);
  return Buffer.concat(parts);
}

/**
 * Two different strings of one length with one byteHash: the dictionary must compare their bytes.
 * Made rather than searched for (a search takes ~2 million tries): mixWord(h, w) depends on h ^ w
 * alone, so after prefixes that leave the states a and b, the words w and w ^ a ^ b lead to one state.
 */
function hashCollision(): [string, string] {
  const state = (text: string) => {
    const b = bytes(text);
    let h = HASH_SEED;
    for (let i = 0; i < b.length; i += 4) h = mixWord(h, b.readInt32LE(i));
    return h;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const first = 'collide-0000';
  for (let i = 1; ; i++) {
    const second = `collide-${i.toString(36).padStart(4, '0')}`;
    const diff = state(first) ^ state(second);
    // Each byte of the last word: a letter whose xor with the states' difference is a letter too.
    const pairs = [0, 1, 2, 3].map((k) => {
      const d = (diff >>> (8 * k)) & 0xff;
      const c = [...letters].find((letter) => letters.includes(String.fromCharCode(letter.charCodeAt(0) ^ d)));
      return c === undefined ? undefined : [c, String.fromCharCode(c.charCodeAt(0) ^ d)];
    });
    if (pairs.some((pair) => pair === undefined)) continue;
    const a = first + pairs.map((pair) => pair![0]).join('');
    const b = second + pairs.map((pair) => pair![1]).join('');
    const hash = (text: string) => hashBytes(bytes(text), 0, bytes(text).length);
    if (a === b || hash(a) !== hash(b)) throw new Error(`no byteHash collision made from ${a} and ${b}: has the hash changed?`);
    return [a, b];
  }
}

const [collideA, collideB] = hashCollision();

function jsonLines(random: () => number, count: number): Buffer {
  const pool = Array.from({ length: 40 }, () => Buffer.concat([bytes('"'), stringContent(random), bytes('"')]));
  const ws = () => (random() < 0.15 ? [' ', '\t', '  ', ' \t '][Math.floor(random() * 4)] : '');
  const stringValue = (): Buffer => {
    const r = random();
    if (r < 0.35) return pool[Math.floor(random() * pool.length)];
    if (r < 0.55) return bytes(`"id-${Math.floor(random() * 5000)}"`);
    if (r < 0.6) return bytes(JSON.stringify(random() < 0.5 ? collideA : collideB));
    if (r < 0.603) return bytes(`"${'Lo'.repeat(35_000)}${Math.floor(random() * 3)}"`);
    if (r < 0.65) return bytes('""');
    if (r < 0.68) return bytes(String(Math.floor(random() * 1000) - 500));
    if (r < 0.7) return bytes('{"nested": ["a", {"b": "}"}], "x": 1.5}');
    if (r < 0.72) return bytes('[1, "two", null]');
    if (r < 0.74) return bytes(['true', 'false', 'null'][Math.floor(random() * 3)]);
    if (r < 0.75) return Buffer.concat([bytes('"ctl'), Buffer.from([Math.floor(random() * 32)]), bytes('"')]);
    return Buffer.concat([bytes('"'), stringContent(random), bytes('"')]);
  };
  const dynamicValue = (): Buffer => {
    const r = random();
    if (r < 0.3) return bytes('{"k": "v\\u00e9", "n": [1, 2, {"z": null}]}');
    if (r < 0.4) return bytes('[]');
    if (r < 0.42) return bytes(random() < 0.5 ? '{"k": }' : '[1, ]');
    if (r < 0.5) return bytes('"{\\"k\\":\\"v\\"}"');
    return stringValue();
  };
  const keys: Array<[key: string, value: () => Buffer]> = [
    ['DeviceId', stringValue],
    ['DeviceName', stringValue],
    ['PublicIP', stringValue],
    ['OSBuild', () => bytes(['19045', '-12.5e1', '1e3', '9007199254740993', '"22631"', 'null', '0'][Math.floor(random() * 7)])],
    ['IsAzureADJoined', () => bytes(['true', 'false', '"true"', 'null', '1'][Math.floor(random() * 5)])],
    ['Timestamp', () => bytes(['"2024-05-01T10:00:00.1234567Z"', '"2024-05-01 10:00"', '"2024-05-01T10:00:00.123+02:00"', '"not a date"', '1714557600000'][Math.floor(random() * 5)])],
    ['LoggedOnUsers', dynamicValue],
    ['AdditionalFields', dynamicValue],
    ['Unknown', dynamicValue],
  ];
  const lines: Buffer[] = [];
  for (let n = 0; n < count; n++) {
    if (random() < 0.03) {
      lines.push(bytes(ws()));
      continue;
    }
    const members: Buffer[] = [];
    for (const [key, value] of keys) {
      if (random() < 0.2) continue;
      let name = key;
      if (random() < 0.03) name = key.replace('e', '\\u0065');
      members.push(Buffer.concat([bytes(`${ws()}"${name}"${ws()}:${ws()}`), value(), bytes(ws())]));
      if (random() < 0.03) members.push(Buffer.concat([bytes(`"${key}":`), value()]));
    }
    if (random() < 0.3) members.reverse();
    const parts: Buffer[] = [bytes(`${ws()}{`)];
    members.forEach((m, k) => parts.push(k === 0 ? m : Buffer.concat([bytes(','), m])));
    parts.push(bytes(`}${ws()}`));
    if (random() < 0.1) parts.push(bytes('\r'));
    lines.push(Buffer.concat(parts));
  }
  return Buffer.concat(lines.flatMap((line, k) => (k === lines.length - 1 ? [line] : [line, bytes('\n')])));
}

/** The reference: each line decoded as UTF-8 and given to JSON.parse; a line JSON.parse rejects is dropped, as the loader drops it. */
function parsedRows(file: Buffer): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const line of file.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // dropped
    }
  }
  return rows;
}

const QUERIES = [
  'DeviceInfo | project DeviceId, DeviceName, PublicIP, OSBuild, IsAzureADJoined, Timestamp, LoggedOnUsers, AdditionalFields',
  'DeviceInfo | summarize n = count() by DeviceId | order by n desc, DeviceId asc',
  'DeviceInfo | summarize n = count() by DeviceName, PublicIP | order by n desc, DeviceName asc, PublicIP asc',
  'DeviceInfo | distinct DeviceId | count',
];

describe('JSONL byte scanner against JSON.parse', () => {
  it.each([1, 2])('loads generated edge-case lines (seed %i) as JSON.parse reads them', (seed) => {
    const prng = Prng.for(seed, 'jsonl-differential');
    const file = jsonLines(() => prng.next(), 3000);
    writeFileSync(join(dir, 'DeviceInfo.jsonl'), file);
    const loaded = new KqlEngine(loadDataFolder(dir));
    const reference = new KqlEngine(KqlDatabase.fromRows({ DeviceInfo: parsedRows(file) }));
    for (const query of QUERIES) expect({ query, rows: loaded.query(query).rows }).toEqual({ query, rows: reference.query(query).rows });
  });
});
