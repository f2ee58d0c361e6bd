import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { genDataCommand } from '../../src/cli/gen-data-command';
import { loadDataFolder } from '../../src/data/jsonl';
import { sampleNow } from '../../src/data/generator';
import { capturedIO } from '../support/captured-io';

describe('huntbot gen-data', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-data-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('writes one JSON object per line into <Table>.jsonl files the data loader reads', async () => {
    const out = tempDir();
    const io = capturedIO();
    expect(await genDataCommand(['--out', out, '--rows', '12000', '--seed', '5', '--now', '2026-11-28T03:00:00Z'], io)).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([
      'DeviceFileCertificateInfo.jsonl',
      'DeviceFileEvents.jsonl',
      'DeviceImageLoadEvents.jsonl',
      'DeviceInfo.jsonl',
      'DeviceLogonEvents.jsonl',
      'DeviceNetworkEvents.jsonl',
      'DeviceProcessEvents.jsonl',
    ]);
    const lines = fs.readFileSync(path.join(out, 'DeviceInfo.jsonl'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ DeviceId: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const database = loadDataFolder(out);
    expect(database.rowCount('DeviceInfo')).toBe(lines.length);
    expect(io.stdout.join('\n')).toMatch(/DeviceInfo\.jsonl: \d+ rows/);
  });

  test('writes identical files for the same seed and now', async () => {
    const args = ['--rows', '2000', '--seed', '9', '--now', '2026-11-28T03:00:00Z', '--tables', 'DeviceFileCertificateInfo'];
    const [a, b] = [tempDir(), tempDir()];
    await genDataCommand(['--out', a, ...args], capturedIO());
    await genDataCommand(['--out', b, ...args], capturedIO());
    const read = (dir: string) => fs.readFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), 'utf8');
    expect(read(a)).toBe(read(b));
  });

  test('without --now anchors the data to the start of the current hour, as the bot does, so the same seed gives the same rows', async () => {
    const args = ['--rows', '2000', '--seed', '9', '--tables', 'DeviceFileCertificateInfo'];
    const [implicit, explicit] = [tempDir(), tempDir()];
    const io = capturedIO();
    const before = sampleNow().toISOString();
    await genDataCommand(['--out', implicit, ...args], io);
    const anchor = /now (\S+) /.exec(io.stdout.join('\n'))?.[1] ?? '';
    expect([before, sampleNow().toISOString()]).toContain(anchor);
    await genDataCommand(['--out', explicit, ...args, '--now', anchor], capturedIO());
    const read = (dir: string) => fs.readFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), 'utf8');
    expect(read(implicit)).toBe(read(explicit));
  });

  test('writes exactly the requested rows when one table is asked for', async () => {
    const out = tempDir();
    expect(await genDataCommand(['--out', out, '--rows', '6000', '--tables', 'DeviceProcessEvents', '--now', '2026-11-28T03:00:00Z'], capturedIO())).toBe(0);
    const lines = fs.readFileSync(path.join(out, 'DeviceProcessEvents.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    expect(lines).toBe(6_000);
  });

  test('writes exactly --rows rows over all the tables, and says so per file', async () => {
    const out = tempDir();
    const io = capturedIO();
    expect(await genDataCommand(['--out', out, '--rows', '12345', '--now', '2026-11-28T03:00:00Z'], io)).toBe(0);
    const lines = fs.readdirSync(out).map((file) => fs.readFileSync(path.join(out, file), 'utf8').split('\n').filter(Boolean).length);
    expect(lines.reduce((sum, n) => sum + n, 0)).toBe(12_345);
    const reported = io.stdout.map((line) => Number(/: (\d+) rows$/.exec(line)?.[1] ?? 0));
    expect(reported.reduce((sum, n) => sum + n, 0)).toBe(12_345);
  });

  test('refuses fewer rows than the planted RMM activity needs, naming how many that is', async () => {
    const out = tempDir();
    const io = capturedIO();
    expect(await genDataCommand(['--out', out, '--rows', '1000', '--now', '2026-11-28T03:00:00Z'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--rows 1000 is too few: these tables need at least \d{4,}/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test.each([
    [[], /--out DIR is required/],
    [['--out'], /--out needs a value/],
    [['--out', 'x', '--rows', 'many'], /--rows must be a whole number/],
    [['--out', 'x', '--now', 'yesterday'], /--now must be an ISO 8601 time/],
    [['--out', 'x', '--tables', 'SigninLogs'], /unknown table SigninLogs/],
    [['--out', 'x', '--verbose'], /unknown option --verbose/],
    [['--out', 'x', 'extra'], /unexpected argument extra/],
  ])('rejects %j with a usage message', async (args, message) => {
    const io = capturedIO();
    expect(await genDataCommand(args as string[], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(message);
    expect(io.stderr.join('\n')).toMatch(/usage: huntbot gen-data/);
  });
});
