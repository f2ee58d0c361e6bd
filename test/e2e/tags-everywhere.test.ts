import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isRunningCard } from '../../src/cli/chat/card-text';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { huntCliCommand } from '../../src/cli/hunt-cli-command';
import type { CliIO } from '../../src/cli/io';
import { BotHarness } from '../support/bot-harness';
import { actionOn, cardDevices } from '../support/card-devices';
import { cardText } from '../support/card-text';
import { certRow } from '../support/telemetry-fixture';

type Card = Record<string, unknown>;
const HOUR = 3_600_000;

/** A network connection row with the columns the all-tools hunt reads. */
function networkRow(deviceId: string, remoteUrl: string, at: Date, reportId: number): Record<string, unknown> {
  const iso = at.toISOString();
  return {
    Timestamp: iso,
    TimeGenerated: iso,
    DeviceId: deviceId,
    DeviceName: `${deviceId}.contoso.local`,
    RemoteUrl: remoteUrl,
    RemotePort: 443,
    InitiatingProcessFileName: 'agent.exe',
    InitiatingProcessAccountUpn: 'it.admin@contoso.com',
    ReportId: reportId,
  };
}

/**
 * dev-a runs DesktopNow only, dev-b AnyDesk only, dev-c both: DesktopNow files and connections on dev-a and
 * dev-c, AnyDesk connections on dev-b and dev-c.
 */
function writeData(dir: string): void {
  const now = Date.now();
  const ago = (hours: number) => new Date(now - hours * HOUR);
  const certs = [certRow('dev-a', 'dev-a.contoso.local', 'NCH Software Pty Ltd', ago(2), 1), certRow('dev-c', 'dev-c.contoso.local', 'NCH Software Pty Ltd', ago(3), 2)];
  const network = [
    networkRow('dev-a', 'update.nchuser.com', ago(2), 11),
    networkRow('dev-b', 'relay-1.net.anydesk.com', ago(4), 12),
    networkRow('dev-c', 'update.nchuser.com', ago(3), 13),
    networkRow('dev-c', 'relay-2.net.anydesk.com', ago(5), 14),
  ];
  fs.writeFileSync(path.join(dir, 'DeviceFileCertificateInfo.jsonl'), certs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'DeviceNetworkEvents.jsonl'), network.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('a device tagged benign for DesktopNow is honoured by the all-tools hunt and by the command line', () => {
  let dir: string;
  let harness: BotHarness;
  const alice = defaultIdentity('Alice');

  async function hunt(command: string): Promise<{ messageId: string; card: Card }> {
    const before = harness.sent().length;
    await harness.say(command, alice);
    const running = harness.sent().slice(before).find((a) => isRunningCard(harness.card(a.id)));
    if (!running) throw new Error(`no running card for ${command}`);
    await harness.app.runs.idle();
    return { messageId: running.id, card: harness.card(running.id)! };
  }

  /** `huntbot hunt …` with the bot's configuration: the same tag store, the same data. */
  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const saved = { HUNT_STORE_PATH: process.env.HUNT_STORE_PATH };
    process.env.HUNT_STORE_PATH = path.join(dir, 'huntbot.db');
    try {
      const io = capture();
      const code = await huntCliCommand([...args, '--data', dir], io);
      return { code, out: [...io.stdout, ...io.stderr].join('\n') };
    } finally {
      if (saved.HUNT_STORE_PATH === undefined) delete process.env.HUNT_STORE_PATH;
      else process.env.HUNT_STORE_PATH = saved.HUNT_STORE_PATH;
    }
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-tags-everywhere-'));
    writeData(dir);
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db') });
    // Alice tags dev-a and dev-c benign for DesktopNow, from the DesktopNow hunt's card.
    const { messageId, card } = await hunt('hunt rmm desktopnow 5d');
    for (const device of ['dev-a', 'dev-c']) {
      const saved = await harness.execute(messageId, 'hit.tag.save', { ...actionOn(card, 'hit.tag', device), scenario: 'remote-desktop' }, alice);
      expect(cardDevices((saved.body as { value: Card }).value).get(device)?.tagged).toBe(true);
    }
  });

  afterAll(async () => {
    await harness?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('`hunt rmm any` hides the device only DesktopNow hit, counts it, and shows it on request', async () => {
    const { messageId, card } = await hunt('hunt rmm any 5d');
    const rows = cardDevices(card);

    expect([...rows.keys()].sort()).toEqual(['dev-b', 'dev-c']);
    expect(cardText(card)).toContain('1 device hidden as benign.');

    const shown = await harness.execute(messageId, 'results.hidden', actionOn(card, 'results.hidden'), alice);
    const hiddenRow = cardDevices((shown.body as { value: Card }).value).get('dev-a');
    expect(hiddenRow?.text).toContain('Tagged benign for: DesktopNow');
  });

  it('`hunt rmm any` still shows a device another tool hit, saying which of its tools are tagged benign', async () => {
    const { card } = await hunt('hunt rmm any 5d');
    const devC = cardDevices(card).get('dev-c');

    expect(devC?.text).toContain('AnyDesk');
    expect(devC?.text).toContain('Tagged benign for: DesktopNow');
    expect(cardDevices(card).get('dev-b')?.text).not.toContain('Tagged benign');
  });

  it('`huntbot hunt rmm desktopnow` reads the same tags: hides both tagged devices and counts them', async () => {
    const { code, out } = await cli('rmm', 'desktopnow', '5d');

    expect(code).toBe(0);
    expect(out).toContain('0 devices');
    expect(out).not.toMatch(/dev-[ac]\.contoso\.local/);
    expect(out).toContain('2 devices hidden as benign');
  });

  it('`huntbot hunt rmm any` hides the device only DesktopNow hit; --show-hidden lists it, marked', async () => {
    const plain = await cli('rmm', 'any', '5d');
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain('dev-a.contoso.local');
    expect(plain.out).toContain('dev-b.contoso.local');
    expect(plain.out).toContain('dev-c.contoso.local');
    expect(plain.out).toContain('1 device hidden as benign');

    const shown = await cli('rmm', 'any', '5d', '--show-hidden');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/dev-a\.contoso\.local.*Tagged benign for: DesktopNow/);
  });
});
