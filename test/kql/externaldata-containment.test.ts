import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { warmUpKql } from '../../src/kql';
import { column, engineOver, NOW, records } from './helpers';

/**
 * externaldata reads only regular files inside HUNT_EXTERNALDATA_DIR, after following links, and none
 * over the size cap: a manifest entry (or a hash-named link) is data, never a way to read the host.
 */

beforeAll(warmUpKql);

let root: string;
let dir: string;
const engine = () => engineOver({});
const urlOf = (name: string) => `https://example.com/${name}`;
const query = (name: string) => `externaldata(Line:string) ["${urlOf(name)}"] with (format="txt")`;
const runIn = (name: string) => engine().query(query(name), { now: NOW, externalDataDir: dir });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'externaldata-containment-'));
  dir = join(root, 'feeds');
  mkdirSync(dir);
  mkdirSync(join(dir, 'subfolder'));
  writeFileSync(join(root, 'secret.txt'), 'host secret\n');
  writeFileSync(join(dir, 'iocs.txt'), 'bad.example\n');
  symlinkSync(join(dir, 'iocs.txt'), join(dir, 'iocs-link.txt'));
  symlinkSync(join(root, 'secret.txt'), join(dir, 'escape.txt'));
  symlinkSync(join(root, 'secret.txt'), join(dir, createHash('sha256').update(urlOf('hashed-escape')).digest('hex')));
  writeFileSync(join(dir, 'huge.txt'), '');
  truncateSync(join(dir, 'huge.txt'), 64 * 1024 * 1024 + 1);
  execFileSync('mkfifo', [join(dir, 'pipe.txt')]);
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      [urlOf('iocs')]: 'iocs.txt',
      [urlOf('iocs-link')]: 'iocs-link.txt',
      [urlOf('parent')]: '../secret.txt',
      [urlOf('deep')]: '../../../../../../../../etc/passwd',
      [urlOf('absolute')]: join(root, 'secret.txt'),
      [urlOf('symlink')]: 'escape.txt',
      [urlOf('device')]: '/dev/zero',
      [urlOf('folder')]: 'subfolder',
      [urlOf('fifo')]: 'pipe.txt',
      [urlOf('huge')]: 'huge.txt',
    }),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('externaldata stays inside HUNT_EXTERNALDATA_DIR', () => {
  it('reads a mapped file inside the folder, also through a link that stays inside', () => {
    expect(records(runIn('iocs'))).toEqual([{ Line: 'bad.example' }]);
    expect(column(runIn('iocs-link'), 'Line')).toEqual(['bad.example']);
  });

  it.each([
    ['parent', 'a ../ entry'],
    ['deep', 'a ../../etc/passwd entry'],
    ['absolute', 'an absolute path'],
    ['symlink', 'a link out of the folder'],
    ['hashed-escape', 'a hash-named link out of the folder'],
    ['device', '/dev/zero'],
  ])('refuses %s (%s) as outside the folder, without reading it', (name) => {
    expect(() => runIn(name)).toThrow(new RegExp(`externaldata: https://example.com/${name} cannot be read: its file .* is outside`));
  });

  it('refuses what is not a regular file: a folder, a FIFO', () => {
    expect(() => runIn('folder')).toThrow(/subfolder is not a regular file/);
    expect(() => runIn('fifo')).toThrow(/pipe.txt is not a regular file/);
  });

  it('refuses a file over the 64 MiB cap, naming the cap', () => {
    expect(() => runIn('huge')).toThrow(/over the 64 MiB limit for externaldata files/);
  });

  it('a URL named like an object property is not a manifest entry', () => {
    expect(() => engine().query('externaldata(Line:string) ["constructor"]', { now: NOW, externalDataDir: dir })).toThrow(/no local file for constructor/);
  });
});
