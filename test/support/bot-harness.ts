import * as fs from 'node:fs';
import { writeDesktopNowDataFolder } from './telemetry-fixture';
import { BOT_START_CEILING_MS } from './ceilings';
import { botCacheDir, keepSampleCache, seedSampleCache } from './sample-cache';
import { startApp, type AppOverrides, type RunningApp } from '../../src/index';
import { type Logger, silentLogger } from '../../src/logging/logger';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { LocalConnector, type ConnectorActivity } from '../../src/cli/chat/connector-server';
import {
  defaultIdentity,
  executeInvoke,
  mentionMessage,
  postActivity,
  submitMessage,
  type ChatIdentity,
} from '../../src/cli/chat/teams-activity';

/** A harness started on the hand-written DesktopNow data folder. */
export type FixtureHarness = BotHarness & { fixture: { dir: string; expectedDevices: string[]; storePath: string } };

/** The real bot over HTTP on a free port, with a local connector receiving its replies. */
export class BotHarness {
  private constructor(
    readonly app: RunningApp,
    readonly connector: LocalConnector,
    private readonly cacheDir: string,
  ) {}

  /**
   * Starts the bot and waits until it is ready, up to BOT_START_CEILING_MS (generous: a loaded machine is slow),
   * so a file needs no start-up timeout of its own. Defaults a test may override in `env`: the expiring-tags
   * timer is off, and the embedded engine has one worker thread (each worker loads the Kusto parser, seconds
   * of CPU per start; a test about the pool sets HUNT_ENGINE_WORKERS itself). The bot's HUNT_CACHE_DIR starts
   * with the jest run's snapshot of the generated sample (test/support/sample-cache.ts), so the sample is not
   * generated again for every bot. Card presses get the longest answer budget (HUNT_CARD_ANSWER_SECONDS=14): on a
   * loaded machine a press can take seconds, and only the tests of late answers want one answered without its result.
   */
  static async start(env: Record<string, string>, overrides: AppOverrides = {}, logger: Logger = silentLogger): Promise<BotHarness> {
    const connector = await new LocalConnector().start();
    const cacheDir = botCacheDir(env);
    seedSampleCache(cacheDir);
    try {
      // The daily expiring-tags timer stays off: a test runs that job itself (app.tagExpiry.run) at the moment it chooses.
      const starting = startApp({ PORT: '0', HOST: '127.0.0.1', HUNT_EXPIRY_NOTICES: 'off', HUNT_ENGINE_WORKERS: '1', HUNT_CARD_ANSWER_SECONDS: '14', ...env }, logger, overrides);
      const app = await withinCeiling(starting, BOT_START_CEILING_MS);
      return new BotHarness(app, connector, cacheDir);
    } catch (error) {
      await connector.stop();
      throw error;
    }
  }

  /** The bot over a hand-written DesktopNow data folder (see telemetry-fixture.ts), removed again on stop(). */
  static async startOnDesktopNowFixture(env: Record<string, string> = {}, logger: Logger = silentLogger): Promise<FixtureHarness> {
    const data = writeDesktopNowDataFolder(new Date());
    const fixture = { ...data, storePath: `${data.dir}/huntbot.db` };
    const harness = await BotHarness.start({ HUNT_DATA_DIR: fixture.dir, HUNT_STORE_PATH: fixture.storePath, ...env }, {}, logger);
    harness.cleanup.push(() => fs.rmSync(fixture.dir, { recursive: true, force: true }));
    return Object.assign(harness, { fixture });
  }

  private readonly cleanup: Array<() => void> = [];

  get messagesUrl(): string {
    return `${this.app.url}/api/messages`;
  }

  async say(text: string, identity: ChatIdentity = defaultIdentity('Alice')) {
    return postActivity(this.messagesUrl, mentionMessage(identity, this.connector.url, text));
  }

  async submit(replyToId: string, value: Record<string, unknown>, identity: ChatIdentity = defaultIdentity('Alice')) {
    return postActivity(this.messagesUrl, submitMessage(identity, this.connector.url, replyToId, value));
  }

  async execute(replyToId: string, verb: string, data: Record<string, unknown>, identity: ChatIdentity = defaultIdentity('Alice')) {
    return postActivity(this.messagesUrl, executeInvoke(identity, this.connector.url, replyToId, verb, data));
  }

  sent(): ConnectorActivity[] {
    return this.connector.events.filter((a) => a.operation === 'send');
  }

  lastText(): string {
    const texts = this.sent()
      .map((a) => a.activity.text)
      .filter((t): t is string => typeof t === 'string' && t !== '');
    return texts[texts.length - 1] ?? '';
  }

  /** Sends a hunt command, waits until every background hunt has finished, and returns the message it updated. */
  async huntToResult(text: string, identity: ChatIdentity = defaultIdentity('Alice')): Promise<{ messageId: string; card: Record<string, unknown> }> {
    const before = this.sent().length;
    await this.say(text, identity);
    const running = this.sent()
      .slice(before)
      .find((activity) => isRunningCard(this.card(activity.id)));
    if (!running) throw new Error(`no running card for "${text}"`);
    await this.app.runs.idle();
    return { messageId: running.id, card: this.card(running.id)! };
  }

  card(activityId: string): Record<string, unknown> | undefined {
    const event = this.connector.activities.get(activityId);
    return event ? cardOf(event.activity) : undefined;
  }

  async stop(): Promise<void> {
    await this.app.close();
    await this.connector.stop();
    keepSampleCache(this.cacheDir);
    for (const clean of this.cleanup) clean();
  }
}


/** The started app, or a clear failure once `ms` have passed (an app that starts later is closed again). */
async function withinCeiling(starting: Promise<RunningApp>, ms: number): Promise<RunningApp> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const ceiling = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(new Error(`the bot was not ready within ${ms / 1000} s (BOT_START_CEILING_MS in test/support/ceilings.ts)`));
    }, ms);
  });
  starting.then((app) => (late ? app.close() : undefined)).catch(() => undefined);
  try {
    return await Promise.race([starting, ceiling]);
  } finally {
    clearTimeout(timer);
  }
}
