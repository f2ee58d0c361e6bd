import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { actionsOn, type Card } from '../support/card-actions';
import { defaultIdentity } from '../../src/cli/chat/teams-activity';
import { samplePlan } from '../../src/data/generator';
import { EXPECTED, HASH, SHA1, writeLookupDataFolder } from '../support/lookup-fixture';
import { huntCliCommand } from '../../src/cli/hunt-cli-command';
import { capturedIO } from '../support/captured-io';

/** One person sends every lookup of this file within seconds: more than the default burst, which message-flood tests. */
const MANY_MESSAGES = { HUNT_MESSAGE_BURST: '1000', HUNT_MESSAGES_PER_MINUTE: '1000' };

/** `lookup …` in a Teams channel, over HTTP, against the real bot: hits must appear, near-misses must not. */
const alice = defaultIdentity('Alice');

/**
 * One cache folder for the whole file, as one deployment keeps one: the parser's verdicts the build does not
 * keep (the lookups' own query shapes; kql-checks.json, keyed by a canonical rendering) are worked out by the
 * first bot and read back by the second and by the CLI, instead of three times. (The built-in hunts' and each
 * RMM hunt's scoped to a device come from the build: dist/kql-checks.builtin.json.) Data snapshots in it are
 * keyed by folder, so the folders never mix.
 */
let cacheDir: string;
beforeAll(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-lookups-cache-'));
});
afterAll(() => {
  if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
});

function expectDevices(text: string, hits: readonly string[], misses: readonly string[]): void {
  for (const hit of hits) expect(text).toContain(hit);
  for (const miss of misses) expect(text).not.toContain(miss);
}

describe('lookups over HTTP on a hand-written data folder', () => {
  let harness: BotHarness;
  let dir: string;

  beforeAll(async () => {
    dir = writeLookupDataFolder(new Date());
    harness = await BotHarness.start({ HUNT_DATA_DIR: dir, HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: cacheDir, ...MANY_MESSAGES });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lookup hash shows the entity at the top, the window, and every device with the hash, never the one a character off', async () => {
    const { card } = await harness.huntToResult(`lookup hash ${HASH} 7d`);
    const text = cardText(card);
    expect(text).toContain(`Looked up hash: ${HASH}`);
    expect(text).toMatch(/Window\n\d{4}-\d\d-\d\d \d\d:\d\d UTC → /);
    expectDevices(text, EXPECTED.hashSha256.hits, EXPECTED.hashSha256.misses);
    expect(text).toContain(`Signers: ${EXPECTED.hashSha256.signer}`);
  });

  it('lookup hash with a SHA1 names the signer', async () => {
    const text = cardText((await harness.huntToResult(`lookup hash ${SHA1}`)).card);
    expectDevices(text, EXPECTED.hashSha1.hits, EXPECTED.hashSha1.misses);
    expect(text).toContain(EXPECTED.hashSha1.signer);
  });

  it('lookup domain matches subdomains and not look-alikes; lookup url matches the exact host', async () => {
    expectDevices(cardText((await harness.huntToResult('lookup domain example.com 2d')).card), EXPECTED.domain.hits, EXPECTED.domain.misses);
    expectDevices(cardText((await harness.huntToResult('lookup url https://cdn.example.com/x.js')).card), EXPECTED.url.hits, EXPECTED.url.misses);
  });

  it('lookup ip finds both directions and not the other subnet', async () => {
    expectDevices(cardText((await harness.huntToResult('lookup ip 203.0.113.7')).card), EXPECTED.ip.hits, EXPECTED.ip.misses);
  });

  it('lookup user accepts DOMAIN\\name, a UPN and a bare name', async () => {
    expectDevices(cardText((await harness.huntToResult('lookup user CONTOSO\\alice')).card), EXPECTED.userContoso.hits, EXPECTED.userContoso.misses);
    expectDevices(cardText((await harness.huntToResult('lookup user alice@contoso.com')).card), EXPECTED.userContoso.hits, EXPECTED.userContoso.misses);
    expectDevices(cardText((await harness.huntToResult('lookup user alice')).card), EXPECTED.userBare.hits, EXPECTED.userBare.misses);
  });

  it('lookup device shows its processes, connections, logons and OS as one row', async () => {
    const text = cardText((await harness.huntToResult('lookup device fin-ws-001')).card);
    expectDevices(text, [EXPECTED.device.hit], EXPECTED.device.misses);
    for (const section of ['TopProcesses: excel.exe (2)', 'RemoteHosts: login.contoso.com', 'OS: Windows11 24H2', 'Logons: CONTOSO\\alice RemoteInteractive']) expect(text).toContain(section);
  });

  it('hunt lookup … is the same command', async () => {
    expectDevices(cardText((await harness.huntToResult('hunt lookup ip 203.0.113.7 1d')).card), EXPECTED.ip.hits, EXPECTED.ip.misses);
  });

  it.each([
    [`lookup hash ${HASH.slice(0, 63)}`, /`lookup hash` needs a SHA256, SHA1 or MD5 hash.*63 hex characters.*Example: `e3b0/],
    ["lookup domain exa'mple.com", /`lookup domain` needs a domain name.*Example: `example.com`/],
    ['lookup ip 203.0.113.999', /`lookup ip` needs an IPv4 or IPv6 address.*Example: `203.0.113.7`/],
    ['lookup user a|b', /`lookup user` needs an account/],
    ['lookup ip 203.0.113.7 5x', /not a time window/],
    ['lookup email a@b.c', /There is no lookup for "email".*lookup device\|domain\|hash\|ip\|url\|user/],
  ])('refuses "%s" with the type and an example, running nothing', async (command, message) => {
    const before = harness.sent().length;
    await harness.say(command);
    expect(harness.lastText()).toMatch(message);
    expect(harness.sent().length).toBe(before + 1);
  });

  it('asks for the value when it is missing, checks the answer, then runs the lookup', async () => {
    const lastCard = () => harness.sent()[harness.sent().length - 1];
    await harness.say('lookup ip', alice);
    expect(cardText(harness.card(lastCard().id))).toContain('Which ip should I look up?');
    expect(cardText(harness.card(lastCard().id))).toContain('An IPv4 or IPv6 address, e.g. 203.0.113.7');
    await harness.submit(lastCard().id, { promptFor: 'value', promptUser: alice.userId, promptChoice: '203.0.113' }, alice);
    expect(harness.lastText()).toMatch(/IPv4 or IPv6/);
    await harness.submit(lastCard().id, { promptFor: 'value', promptUser: alice.userId, promptChoice: '203.0.113.7' }, alice);
    expect(cardText(harness.card(lastCard().id))).toContain('How far back?');
    await harness.submit(lastCard().id, { promptFor: 'window', promptUser: alice.userId, promptChoice: '1d' }, alice);
    await harness.app.runs.idle();
    const result = cardText(harness.card(harness.sent()[harness.sent().length - 1].id));
    expectDevices(result, EXPECTED.ip.hits, EXPECTED.ip.misses);
  });

  it('help lists the lookup command with its syntax', async () => {
    await harness.say('help');
    const text = cardText(harness.card(harness.sent()[harness.sent().length - 1].id));
    expect(text).toContain('lookup device|hash|domain|url|ip|user <value> [<window>]');
  });

  it('tags a device on a lookup for that entity only: the same device still shows on a lookup of another entity', async () => {
    const first = await harness.huntToResult('lookup domain example.com 3d');
    const deviceId = actionsOn(first.card, 'hit.tag').find((d) => typeof d.deviceId === 'string')!.deviceId as string;
    const form = await harness.execute(first.messageId, 'hit.tag', actionsOn(first.card, 'hit.tag').find((d) => d.deviceId === deviceId)!, alice);
    const save = actionsOn((form.body as { value: Card }).value, 'hit.tag.save')[0];
    const saved = await harness.execute(first.messageId, 'hit.tag.save', { ...save, scenario: 'other', justification: 'our CDN', expiry: '7d' }, alice);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: ');
    expect(cardText((await harness.huntToResult('lookup domain example.com 3d')).card)).toContain('1 device hidden as benign.');
    expect(cardText((await harness.huntToResult('lookup url https://cdn.example.com/')).card)).not.toContain('hidden as benign');
  });

  it('Look up this device runs the device lookup in the same conversation from the stored run, never from card data', async () => {
    const first = await harness.huntToResult(`lookup hash ${HASH}`);
    const pivots = actionsOn(first.card, 'lookup.pivot');
    const deviceButton = pivots.find((d) => d.device !== undefined)!;
    expect(Object.keys(deviceButton).sort()).toEqual(['device', 'runId']);
    const before = harness.sent().length;
    const pressed = await harness.execute(first.messageId, 'lookup.pivot', deviceButton, alice);
    expect(pressed.status).toBe(200);
    await harness.app.idle();
    const posted = harness.sent().slice(before);
    expect(posted).toHaveLength(1);
    const text = cardText(harness.card(posted[0].id));
    expect(text).toMatch(/Looked up device: [0-9a-f]{40}/);
    // A forged index names nothing; a value smuggled into the data is ignored.
    const forged = await harness.execute(first.messageId, 'lookup.pivot', { runId: deviceButton.runId, device: 999, value: "x' or 1==1" }, alice);
    expect(JSON.stringify(forged.body)).toContain('not on this result');
  });

  it('answers a Look up press at once and posts the lookup as a new card after Teams throttled it: the card is not part of the press', async () => {
    const first = await harness.huntToResult(`lookup hash ${HASH}`);
    const button = actionsOn(first.card, 'lookup.pivot').find((d) => d.device !== undefined)!;
    const requestsBefore = harness.connector.requests.length;
    const sentBefore = harness.sent().length;
    // Teams refuses the lookup's new card once, asking for 3 s: the press's answer must not wait for it.
    harness.connector.failUpdates({ method: 'POST', status: 429, times: 1, retryAfterSeconds: 3 });

    const pressed = await harness.execute(first.messageId, 'lookup.pivot', button, alice);
    const answeredAt = Date.now();
    expect(pressed.status).toBe(200);
    expect(JSON.stringify(pressed.body)).toContain('the result appears as a new card');

    await harness.app.idle();
    const posts = harness.connector.requests.slice(requestsBefore).filter((r) => r.method === 'POST');
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    expect(posts[1].at).toBeGreaterThan(answeredAt);
    const posted = harness.sent().slice(sentBefore);
    expect(posted).toHaveLength(1);
    expect(cardText(harness.card(posted[0].id))).toMatch(/Looked up device: [0-9a-f]{40}/);
  });

  it('Look up on a shown IP runs the IP lookup over the same window', async () => {
    const first = await harness.huntToResult('lookup url cdn.example.com 2d');
    // Its one row (sales-ws-006) shows one pivot: the remote IP (the host itself is what was looked up).
    const ipButton = actionsOn(first.card, 'lookup.pivot').find((d) => d.entity !== undefined)!;
    expect(Object.keys(ipButton).sort()).toEqual(['entity', 'runId']);
    const before = harness.sent().length;
    await harness.execute(first.messageId, 'lookup.pivot', ipButton, alice);
    await harness.app.idle();
    const text = cardText(harness.card(harness.sent().slice(before)[0].id));
    expect(text).toContain('Looked up ip: 93.184.215.15');
    expect(text).toContain('last 2d');
    expectDevices(text, ['sales-ws-006.contoso.local'], ['mkt-ws-005.contoso.local']);
  });

  it('runs hostile values only as literals: a quote in an account name, a Unicode look-alike domain', async () => {
    const quoted = cardText((await harness.huntToResult("lookup user o'brien")).card);
    expect(quoted).toContain("No device shows user o'brien in the last 7d.");
    expect(quoted).toContain("AccountName =~ 'o\\'brien'");
    // Cyrillic "а" in example.com: looked up as its own punycode name, which no device talked to.
    const lookAlike = cardText((await harness.huntToResult('lookup domain ex\u0430mple.com')).card);
    expect(lookAlike).toContain('Looked up domain: xn--');
    expectDevices(lookAlike, [], [...EXPECTED.domain.hits, ...EXPECTED.domain.misses]);
  });

  it('refuses a pivot pressed in another conversation', async () => {
    const first = await harness.huntToResult(`lookup hash ${HASH}`);
    const button = actionsOn(first.card, 'lookup.pivot')[0];
    const mallory = { ...defaultIdentity('Mallory'), conversationId: '19:other@thread.tacv2' };
    const pressed = await harness.execute(first.messageId, 'lookup.pivot', button, mallory);
    expect(JSON.stringify(pressed.body)).toContain("another conversation's hunt");
  });
});

describe('lookups over HTTP on the generated sample telemetry', () => {
  let harness: BotHarness;
  let dir: string;
  const { stories } = samplePlan();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-lookup-sample-'));
    harness = await BotHarness.start({ HUNT_STORE_PATH: path.join(dir, 'huntbot.db'), HUNT_CACHE_DIR: cacheDir, ...MANY_MESSAGES });
  }, 180_000);

  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the planted hash on every device it was written or loaded on, and not the look-alike', async () => {
    const text = cardText((await harness.huntToResult(`lookup hash ${stories.dropper.file.sha256}`)).card);
    const { writtenOn, loadedOn, lookAlikeOn } = stories.dropper;
    expectDevices(text, [...writtenOn, loadedOn].map((d) => d.deviceName), writtenOn.concat(loadedOn).includes(lookAlikeOn) ? [] : [lookAlikeOn.deviceName]);
  });

  it('finds the one device that talked to the rare domain', async () => {
    const text = cardText((await harness.huntToResult(`lookup domain ${stories.rareDomain.domain}`)).card);
    expect(text).toContain(stories.rareDomain.device.deviceName);
    expect(text).toContain('Devices\n1');
  });

  it('shows the failed, then successful logons on the unusual device', async () => {
    const text = cardText((await harness.huntToResult(`lookup user ${stories.logons.account.upn}`)).card);
    expect(text).toContain(stories.logons.unusualDevice.deviceName);
    expect(text).toContain(`1 succeeded, ${stories.logons.failures} failed`);
  });

  it('lookup device answers with the device row', async () => {
    const text = cardText((await harness.huntToResult(`lookup device ${stories.rareDomain.device.deviceName}`)).card);
    expect(text).toContain(stories.rareDomain.device.deviceName);
    expect(text).toContain('c2.evil-example.com');
  });

  it('lookup device names the RMM tools planted on that device, with the section saying how many were checked', async () => {
    const { installs, nowMs } = samplePlan();
    const install = installs.find((i) => i.recent && !i.decoy && i.startMs < nowMs - 2 * 86_400_000)!;
    const planted = installs.filter((i) => i.device.deviceId === install.device.deviceId && i.recent && !i.decoy).map((i) => i.tool);
    const text = cardText((await harness.huntToResult(`lookup device ${install.device.deviceName} 7d`)).card);
    expect(text).toContain('RMM tools seen (every catalogued signal)');
    // The plan names tools as the indicator table does (`NAble`), the card as the catalog does (`N-able`).
    const squash = (name: string) => name.replace(/[^a-z0-9]/gi, '').toLowerCase();
    const lines = text.split('\n').filter((line) => / — [a-z ,]+ · \d+ events? · /.test(line));
    expect(lines.map((line) => squash(line.split(' — ')[0])).sort()).toEqual(planted.map(squash).sort());
    expect(text).toMatch(/\d+ of \d+ catalogued RMM tools seen on this device; \d+ signals checked\./);
  });
});

describe('huntbot hunt lookup … from the command line', () => {
  let dir: string;
  const saved = { store: process.env.HUNT_STORE_PATH, cache: process.env.HUNT_CACHE_DIR };

  beforeAll(() => {
    dir = writeLookupDataFolder(new Date());
    process.env.HUNT_STORE_PATH = path.join(dir, 'huntbot.db');
    process.env.HUNT_CACHE_DIR = cacheDir;
  });

  afterAll(() => {
    for (const [key, value] of [['HUNT_STORE_PATH', saved.store], ['HUNT_CACHE_DIR', saved.cache]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('prints the devices of a lookup, hits only, and the KQL with the value as a literal', async () => {
    const io = capturedIO();
    expect(await huntCliCommand(['lookup', 'domain', 'Example.com', '2d', '--data', dir], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/^Domain example\.com — lookup\/domain:example\.com, last 2d/m);
    expectDevices(out, EXPECTED.domain.hits, EXPECTED.domain.misses);
    expect(out).toContain("let d = 'example.com';");
  }, 120_000);

  test('lookup device prints the RMM tools section after the device', async () => {
    const io = capturedIO();
    expect(await huntCliCommand(['lookup', 'device', 'fin-ws-001', '7d', '--data', dir], io)).toBe(0);
    const out = io.stdout.join('\n');
    expect(out).toContain('fin-ws-001.contoso.local');
    expect(out).toMatch(/RMM tools seen \(every catalogued signal\)\nNo catalogued RMM tool seen on this device: \d+ tools, \d+ signals checked\./);
  }, 300_000);

  test('refuses a bad value with exit code 2 and the type', async () => {
    const io = capturedIO();
    expect(await huntCliCommand(['lookup', 'ip', '10.0.0.256', '--data', dir], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/`lookup ip` needs an IPv4 or IPv6 address/);
  }, 120_000);
});
