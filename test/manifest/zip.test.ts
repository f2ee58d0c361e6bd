import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZip, ZipEntry } from '../../src/packaging/zip';
import { readZip } from './helpers/zip-reader';

const manifestJson = Buffer.from(`${JSON.stringify({ name: 'x'.repeat(2000) }, null, 2)}\n`);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const entries: ZipEntry[] = [
  { name: 'manifest.json', data: manifestJson },
  { name: 'color.png', data: png },
];

/** The zip of `entries` as made while the process runs in time zone `tz`. */
function zipIn(tz: string): Buffer {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return createZip(entries);
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('createZip', () => {
  test('holds each entry with its bytes and a correct CRC-32 (checked by an independent reader)', () => {
    const files = readZip(createZip(entries));
    expect(files.map((f) => f.name)).toEqual(['manifest.json', 'color.png']);
    expect(files[0].data.equals(manifestJson)).toBe(true);
    expect(files[1].data.equals(png)).toBe(true);
  });

  test('passes `unzip -t`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huntbot-zip-'));
    try {
      writeFileSync(join(dir, 'app.zip'), createZip(entries));
      expect(execFileSync('unzip', ['-t', join(dir, 'app.zip')], { encoding: 'utf8' })).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('deflates text and stores PNGs, which are compressed already', () => {
    const [json, icon] = readZip(createZip(entries));
    expect([json.method, icon.method]).toEqual([8, 0]);
  });

  test('stamps every entry 1980-01-01 00:00, so the same files give the same bytes in every time zone', () => {
    const utc = zipIn('UTC');
    expect(zipIn('Pacific/Kiritimati').equals(utc)).toBe(true);
    expect(zipIn('America/Los_Angeles').equals(utc)).toBe(true);
    const dosDate = (0 << 9) | (1 << 5) | 1;
    expect(readZip(utc).map((f) => [f.dosTime, f.dosDate])).toEqual([[0, dosDate], [0, dosDate]]);
  });

  test.each(['', '/abs.json', '..\\x', 'a/../../b'])('refuses the unsafe entry name %j', (name) => {
    expect(() => createZip([{ name, data: png }])).toThrow(`unsafe entry name "${name}"`);
  });

  test('refuses a duplicate entry', () => {
    expect(() => createZip([entries[1], entries[1]])).toThrow('duplicate entry "color.png"');
  });
});
