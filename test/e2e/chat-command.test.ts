import { Readable } from 'node:stream';
import { chatCommand } from '../../src/cli/chat-command';
import type { CliIO } from '../../src/cli/io';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';

function capture(input?: Readable): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, input, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('huntbot chat against the running bot', () => {
  let harness: FixtureHarness;

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('runs the README\'s first example "@HuntBot hunt rmm desktopnow 5d" and names the device on every Tag benign line', async () => {
    const io = capture();
    expect(await chatCommand(['--url', harness.messagesUrl, '--once', '@HuntBot hunt rmm desktopnow 5d', '--timeout', '120'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).not.toMatch(/I don't know/);
    const tagLines = io.stdout.filter((line) => /\[\/\d+\] Tag benign/.test(line));
    expect(tagLines).toHaveLength(harness.fixture.expectedDevices.length);
    for (const device of harness.fixture.expectedDevices) expect(tagLines.some((line) => line.endsWith(`Tag benign — ${device}`))).toBe(true);
  });

  it('waits for the final card of a hunt typed before the input ended, instead of leaving with the running card', async () => {
    const io = capture(Readable.from(['hunt rmm desktopnow 4d\n']));
    expect(await chatCommand(['--url', harness.messagesUrl, '--timeout', '120'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/HuntBot updated its card/);
    // it-srv-004 was last seen 100 hours ago, outside 4 days (see telemetry-fixture.ts).
    for (const device of ['fin-ws-001.contoso.local', 'hr-ws-017.contoso.local']) expect(text).toContain(`Tag benign — ${device}`);
    expect(io.stderr).toEqual([]);
  });
});
