import * as fs from 'node:fs';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { cardDevices } from '../support/card-devices';
import { awayFromMinuteEdge } from '../support/minute-edge';
import { actionData, type Card } from '../support/card-actions';
import { defaultIdentity, type ChatIdentity } from '../../src/cli/chat/teams-activity';
import { formatWallTime } from '../../src/util/zoned-time';
import { formatUtc } from '../../src/cards/text';
import { kqlDatetime } from '../../src/hunts/kql-literals';
import { huntCliCommand } from '../../src/cli/hunt-cli-command';
import type { CliIO } from '../../src/cli/io';
import { certRow, writeDesktopNowDataFolder } from '../support/telemetry-fixture';
import { FakeTokenCredential } from '../fakes/fake-credential';
import { FakeLogAnalyticsServer } from '../fakes/log-analytics-server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STORE = `/tmp/huntbot-windows-${process.pid}.db`;

/** A responder whose Teams client reports Berlin time, as Teams does (`localTimezone` and the clientInfo entity). */
const berlin: ChatIdentity = { ...defaultIdentity('Alice'), timeZone: 'Europe/Berlin' };

/** Every `yyyy-mm-dd hh:mm UTC` a text shows. */
function utcTimesIn(text: string): string[] {
  return text.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g) ?? [];
}

function devicesFact(card: Card): number {
  const match = /Devices\n(\d+)/.exec(cardText(card));
  if (!match) throw new Error('no Devices fact on the card');
  return Number(match[1]);
}

/** The real bot over HTTP on the generated sample telemetry (embedded engine). */
describe('absolute windows and one-device hunts over HTTP', () => {
  let harness: BotHarness;

  beforeAll(async () => {
    harness = await BotHarness.start({ HUNT_STORE_PATH: STORE });
  });

  afterAll(async () => {
    await harness?.stop();
    for (const file of fs.readdirSync('/tmp').filter((f) => f.startsWith(`huntbot-windows-${process.pid}.db`))) fs.rmSync(`/tmp/${file}`, { force: true });
  });

  it('reads "hunt rmm any since <local time>" in the sender\'s Teams zone, shows the window in UTC and Berlin time, and puts the instants into the KQL', async () => {
    const relative = await harness.huntToResult('hunt rmm any 5d', berlin);
    const runsBefore = harness.app.runs.stats().backendRuns;

    const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY);
    const local = formatWallTime(start, 'Europe/Berlin').replace(' ', 'T'); // what a Berlin responder reads off their clock
    const { card } = await harness.huntToResult(`hunt rmm any since ${local}`, berlin);
    const text = cardText(card);

    expect(text).toContain(`since ${formatUtc(start.toISOString())}`);
    expect(text).toContain('Times without an offset were read in Europe/Berlin (your Teams time zone).');
    expect(text).toMatch(new RegExp(`Your time\\n${formatWallTime(start, 'Europe/Berlin')} → \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} Europe/Berlin \\(UTC\\+0[12]:00`));
    expect(text).toContain(`let Time_start = ${kqlDatetime(start)};`);

    // Its own backend run: an absolute window never reuses a relative window's result.
    expect(harness.app.runs.stats().backendRuns).toBe(runsBefore + 1);
    expect(text).not.toContain('Reused a result');

    // Only what happened since then: fewer or as many devices as in 5 days, every one last seen after the start.
    const count = devicesFact(card);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(devicesFact(relative.card));
    const rows = [...cardDevices(card).values()];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [, lastSeen] = utcTimesIn(row.text);
      expect(lastSeen >= formatUtc(start.toISOString())).toBe(true);
    }
  });

  it('reads the same words from a sender without a known zone as UTC, and says so', async () => {
    const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY);
    const utcWords = formatWallTime(start, 'UTC').replace(' ', 'T');
    const { card } = await harness.huntToResult(`hunt rmm any since ${utcWords}`, defaultIdentity('Bob'));
    const text = cardText(card);
    expect(text).toContain('Times without an offset were read as UTC (your Teams time zone is not known).');
    expect(text).toContain(`let Time_start = ${kqlDatetime(start)};`);
    expect(text).not.toContain('Your time');
  });

  it('clamps an end in the future to now and refuses a start after the end', async () => {
    const from = new Date(Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR);
    const to = new Date(Date.now() + 2 * DAY);
    const { card } = await harness.huntToResult(`hunt rmm any ${from.toISOString().slice(0, 16)}Z..${to.toISOString().slice(0, 16)}Z`, berlin);
    expect(cardText(card)).toContain('is in the future: the window ends now');

    await harness.say('hunt rmm any 2026-12-02T00:00Z..2026-12-01T00:00Z', berlin);
    expect(harness.lastText()).toMatch(/starts \(2026-12-02 01:00 Europe\/Berlin\) after it ends \(2026-12-01 01:00 Europe\/Berlin\).*since <datetime>/);
  });

  it('shows only the device asked for with "on <device>", says so, keeps tagging, and Run again keeps the scope', async () => {
    const all = await harness.huntToResult('hunt rmm any 5d', berlin);
    const [target, other] = [...cardDevices(all.card).values()];
    expect(other).toBeDefined();
    const fqdn = target.text.split('\n')[0];
    const shortName = fqdn.split('.')[0].toUpperCase();

    await awayFromMinuteEdge(25_000);
    const scoped = await harness.huntToResult(`hunt rmm any 5d on ${shortName}`, berlin);
    const text = cardText(scoped.card);
    expect([...cardDevices(scoped.card).keys()]).toEqual([target.deviceId]);
    expect(devicesFact(scoped.card)).toBe(1);
    expect(text).toContain(`rmm/any · on ${shortName} · last 5d`);
    expect(text).not.toContain(other.text.split('\n')[0]);

    // The same scoped hunt again is a cached result with Run again, which reruns the scoped command.
    const cached = await harness.huntToResult(`hunt rmm any 5d on ${shortName}`, berlin);
    expect(cardText(cached.card)).toContain('Reused a result');
    await harness.execute(cached.messageId, 'run.again', actionData(cached.card, 'run.again'), berlin);
    await harness.app.runs.idle();
    const again = harness.card(cached.messageId)!;
    expect(cardText(again)).not.toContain('Reused a result');
    expect([...cardDevices(again).keys()]).toEqual([target.deviceId]);

    // Tagging on a scoped card is the hunt's tag: the device is hidden on the next scoped run.
    const form = await harness.execute(scoped.messageId, 'hit.tag', actionData(scoped.card, 'hit.tag', target.deviceId), berlin);
    const save = actionData((form.body as { value: Card }).value, 'hit.tag.save');
    const saved = await harness.execute(scoped.messageId, 'hit.tag.save', { ...save, scenario: 'remote-desktop', expiry: '7d' }, berlin);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: ');
    const after = await harness.huntToResult(`hunt rmm any 5d on ${fqdn}`, berlin);
    expect(cardDevices(after.card).size).toBe(0);
    expect(cardText(after.card)).toContain('1 device hidden as benign.');
  });

  it('runs a hostile device value as a literal (no hits, no error), shows the filter on the card, and refuses one with a line break', async () => {
    // A hunt with a short query, so the card shows the KQL to its end.
    const { card } = await harness.huntToResult("hunt rmm desktopnow 5d on x'|take", berlin);
    const text = cardText(card);
    expect(text).toContain('No hits on this device in the last 5d.');
    expect(text).toContain("| where DeviceName =~ 'x\\'|take' or DeviceName startswith 'x\\'|take.' or DeviceId =~ 'x\\'|take'");

    await harness.say('hunt rmm any 5d on ws-0042\n| take 1', berlin);
    expect(harness.lastText()).toContain('`on` takes one device name or DeviceId');
  });

  it('takes an absolute window as the answer to the window question, read in the sender\'s zone, and re-asks a time the clocks skipped', async () => {
    const lastSent = () => harness.sent()[harness.sent().length - 1];
    await harness.say('hunt rmm', berlin);
    await harness.submit(lastSent().id, { promptFor: 'tool', promptUser: berlin.userId, promptChoice: 'anydesk' }, berlin);
    expect(cardText(harness.card(lastSent().id))).toContain('How far back?');

    await harness.submit(lastSent().id, { promptFor: 'window', promptUser: berlin.userId, promptChoice: 'since 2026-03-29 02:30' }, berlin);
    expect(harness.lastText()).toContain('2026-03-29 02:30 does not exist in Europe/Berlin');

    const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - DAY);
    const before = harness.sent().length;
    await harness.submit(lastSent().id, { promptFor: 'window', promptUser: berlin.userId, promptChoice: `since ${formatWallTime(start, 'Europe/Berlin')}` }, berlin);
    const running = harness.sent().slice(before).find((a) => cardText(harness.card(a.id)).includes('Hunting AnyDesk'));
    expect(running).toBeDefined();
    await harness.app.runs.idle();
    const text = cardText(harness.card(running!.id));
    expect(text).toContain(`since ${formatUtc(start.toISOString())}`);
    expect(text).toContain('Europe/Berlin');
  });
});

describe('huntbot hunt with an absolute window and a device', () => {
  const fixture = writeDesktopNowDataFolder(new Date());
  afterAll(() => fs.rmSync(fixture.dir, { recursive: true, force: true }));

  function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
  }

  test('reads `since` in the --tz zone and prints the window in UTC and in that zone', async () => {
    const start = new Date(Date.now() - 40 * HOUR);
    const io = captureIO();
    const code = await huntCliCommand(['rmm', 'desktopnow', 'since', formatWallTime(start, 'America/New_York').replace(' ', 'T'), '--tz', 'America/New_York', '--data', fixture.dir], io);
    expect(code).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain(`since ${formatUtc(new Date(Math.floor(start.getTime() / 60_000) * 60_000).toISOString())}`);
    expect(out).toMatch(/window in America\/New_York: .* America\/New_York \(UTC-0[45]:00/);
    expect(out).toContain('fin-ws-001.contoso.local');
    expect(out).not.toContain('hr-ws-017.contoso.local'); // seen 50 hours ago only
    expect(io.stderr.join('\n')).toContain('note: Times without an offset were read in America/New_York');
  });

  test('keeps one device with `on`, by its short name', async () => {
    const io = captureIO();
    expect(await huntCliCommand(['rmm', 'desktopnow', '5d', 'on', 'HR-WS-017', '--data', fixture.dir], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('rmm/desktopnow on HR-WS-017, last 5d');
    expect(out).toMatch(/^1 device, /m);
    expect(out).toContain('hr-ws-017.contoso.local');
    expect(out).not.toContain('fin-ws-001.contoso.local');
  });

  test('refuses a --tz that is not a time zone, and an invalid window, as usage errors', async () => {
    const io = captureIO();
    expect(await huntCliCommand(['rmm', 'desktopnow', 'since', '2026-12-01T10:00', '--tz', 'Mars/Base', '--data', fixture.dir], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('is not an IANA time zone');
    expect(await huntCliCommand(['rmm', 'desktopnow', '2026-12-02T00:00Z..2026-12-01T00:00Z', '--data', fixture.dir], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('after it ends');
  });
});

describe('an absolute window and a device scope against Sentinel (Log Analytics wire format)', () => {
  let harness: BotHarness;
  let la: FakeLogAnalyticsServer;
  const store = `/tmp/huntbot-windows-la-${process.pid}.db`;

  beforeAll(async () => {
    const now = Date.now();
    la = await FakeLogAnalyticsServer.start({
      dataset: {
        tables: {
          DeviceFileCertificateInfo: [
            certRow('dev-a', 'fin-ws-001.contoso.local', 'NCH Software Pty Ltd', new Date(now - 3 * HOUR), 1),
            certRow('dev-b', 'hr-ws-017.contoso.local', 'NCH Software', new Date(now - 5 * HOUR), 2),
          ],
        },
      },
    });
    harness = await BotHarness.start(
      { SENTINEL_WORKSPACE_ID: '11111111-2222-3333-4444-555555555555', LOG_ANALYTICS_ENDPOINT: la.endpoint, HUNT_STORE_PATH: store },
      { credential: new FakeTokenCredential() },
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await la?.close();
    for (const file of fs.readdirSync('/tmp').filter((f) => f.startsWith(`huntbot-windows-la-${process.pid}.db`))) fs.rmSync(`/tmp/${file}`, { force: true });
  });

  it('sends the asked instants both as datetime literals and as the API timespan, with the device filter in the query', async () => {
    const start = new Date(Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR);
    const end = new Date(start.getTime() + 2 * HOUR);
    const local = (d: Date) => formatWallTime(d, 'Europe/Berlin').replace(' ', 'T');
    const { card } = await harness.huntToResult(`hunt rmm desktopnow ${local(start)}..${local(end)} on HR-WS-017`, berlin);
    const sent = la.requests[la.requests.length - 1];
    expect(sent.timespan).toBe(`${start.toISOString()}/${end.toISOString()}`);
    expect(sent.query).toContain(`let Time_start = ${kqlDatetime(start)};`);
    expect(sent.query).toContain(`let Time_end = ${kqlDatetime(end)};`);
    expect(sent.query).toContain("| where DeviceName =~ 'HR-WS-017' or DeviceName startswith 'HR-WS-017.' or DeviceId =~ 'HR-WS-017'");
    expect([...cardDevices(card).keys()]).toEqual(['dev-b']);
  });
});
