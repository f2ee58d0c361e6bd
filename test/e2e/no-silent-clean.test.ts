import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { isRunningCard } from '../../src/cli/chat/card-text';
import { huntCliCommand } from '../../src/cli/hunt-cli-command';
import type { CliIO } from '../../src/cli/io';
import { queryCommand } from '../../src/cli/query-command';
import { createLogger } from '../../src/logging/logger';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';

/**
 * "0 devices" must only ever mean "looked, found nothing". A data folder that is empty, mis-named,
 * missing the hunt's table or full of rows without a usable Timestamp is said so, on the card and in
 * the CLI.
 */

const HOUR = 3_600_000;
const now = new Date();
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const desktopNowRows = () => [
  certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software Pty Ltd', ago(2), 101),
  certRow('dev-b', 'hr-ws-017.contoso.local', 'NCH Software', ago(50), 201),
];
const jsonl = (rows: Array<Record<string, unknown>>) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const folders: string[] = [];
function dataFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-silent-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

const processRow = { Timestamp: ago(1).toISOString(), DeviceId: 'dev-p', DeviceName: 'p.contoso.local', FileName: 'cmd.exe', ReportId: 1 };
const badTimestamps = () => {
  const rows: Array<Record<string, unknown>> = desktopNowRows();
  rows.push({ ...certRow('dev-x', 'x.contoso.local', 'NCH Software', ago(1), 9), Timestamp: 'yesterday', TimeGenerated: undefined });
  rows.push({ ...certRow('dev-y', 'y.contoso.local', 'NCH Software', ago(1), 10), Timestamp: 'last tuesday', TimeGenerated: undefined });
  return `${jsonl(rows)}{"DeviceId": "dev-z", "Timestamp": 
`;
};

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

/** Starts the bot on `dir`, runs `hunt rmm desktopnow 5d` over HTTP and returns the finished card's text. */
async function huntCardOver(dir: string, logLines: string[] = []): Promise<string> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db') }, {}, createLogger('info', sink));
  try {
    expect((await harness.say('hunt rmm desktopnow 5d')).status).toBe(200);
    const running = harness.sent().find((a) => isRunningCard(harness.card(a.id)));
    expect(running).toBeDefined();
    await harness.app.runs.idle();
    return cardText(harness.card(running!.id));
  } finally {
    await harness.stop();
  }
}

describe('the result card over HTTP', () => {
  test('a folder without the hunt’s table says it could not look, not "0 devices"', async () => {
    const dir = dataFolder({ 'DeviceProcessEvents.jsonl': jsonl([processRow]) });
    const text = await huntCardOver(dir);
    expect(text).toContain('Could not look: table DeviceFileCertificateInfo has no data in the configured data folder.');
    expect(text).not.toContain(dir);
    expect(text).toContain('Not a clean result');
    expect(text).toMatch(/0 \(could not look at DeviceFileCertificateInfo: no data\)/);
    expect(text).not.toContain('No devices matched');
  });

  test('an empty folder says it could not look', async () => {
    const dir = dataFolder({});
    const text = await huntCardOver(dir);
    expect(text).toContain('Could not look: table DeviceFileCertificateInfo has no data in the configured data folder.');
    expect(text).not.toContain(dir);
  });

  test('rows whose Timestamp does not parse, and malformed lines, are counted with the first line, next to the hits', async () => {
    const dir = dataFolder({ 'DeviceFileCertificateInfo.jsonl': badTimestamps() });
    const text = await huntCardOver(dir);
    expect(text).toContain('fin-ws-001.contoso.local');
    expect(text).toContain(
      'DeviceFileCertificateInfo: 2 of 4 rows of DeviceFileCertificateInfo.jsonl have no Timestamp that parses as an ISO 8601 date (first at line 3); no hunt window includes them.',
    );
    expect(text).toMatch(/DeviceFileCertificateInfo: 1 line of DeviceFileCertificateInfo\.jsonl was dropped: invalid JSON \(.*\) at DeviceFileCertificateInfo\.jsonl:5\./);
  });

  test('a file named in the wrong case is loaded as the table it means, and the start-up log says so', async () => {
    const dir = dataFolder({ 'devicefilecertificateinfo.jsonl': jsonl(desktopNowRows()) });
    const logLines: string[] = [];
    const text = await huntCardOver(dir, logLines);
    const notes = logLines.map((l) => JSON.parse(l) as { event?: string; note?: string }).filter((l) => l.event === 'data-note');
    expect(notes.map((n) => n.note)).toContain(
      'devicefilecertificateinfo.jsonl: loaded as table DeviceFileCertificateInfo (table names are case-sensitive in KQL; did you mean DeviceFileCertificateInfo.jsonl?)',
    );
    expect(text).toContain('fin-ws-001.contoso.local');
    expect(text).toContain('hr-ws-017.contoso.local');
    expect(text).not.toContain('Could not look');
  });
});

describe('the CLI', () => {
  test('`huntbot hunt` on an empty folder prints that it could not look', async () => {
    const dir = dataFolder({});
    const io = captureIO();
    expect(await huntCliCommand(['rmm', 'desktopnow', '5d', '--data', dir], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^0 devices \(could not look at DeviceFileCertificateInfo: no data\)/m);
    expect(io.stderr).toContain(`warning: Could not look: table DeviceFileCertificateInfo has no data in ${dir}.`);
  });

  test('`huntbot hunt` on a mis-named file finds the devices and notes the name it used', async () => {
    const dir = dataFolder({ 'devicefilecertificateinfo.jsonl': jsonl(desktopNowRows()) });
    const io = captureIO();
    expect(await huntCliCommand(['rmm', 'desktopnow', '5d', '--data', dir], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^2 devices, /m);
    expect(io.stderr.join('\n')).not.toContain('Could not look');
  });

  test('`huntbot query` names a table with no data and rows left out for their Timestamp', async () => {
    const dir = dataFolder({ 'DeviceFileCertificateInfo.jsonl': badTimestamps(), 'devicefilecertificateinfo.jsonl': jsonl(desktopNowRows()) });
    const io = captureIO();
    expect(await queryCommand(['--data', dir, 'DeviceFileCertificateInfo | count | union (DeviceProcessEvents | count)'], io)).toBe(0);
    const errors = io.stderr.join('\n');
    expect(errors).toContain('note: devicefilecertificateinfo.jsonl: skipped, DeviceFileCertificateInfo.jsonl already holds table DeviceFileCertificateInfo');
    expect(errors).toContain('warning: DeviceFileCertificateInfo: 2 of 4 rows of DeviceFileCertificateInfo.jsonl have no Timestamp that parses');
    expect(errors).toContain(`warning: Could not look: table DeviceProcessEvents has no data in ${dir}.`);
  });
});
