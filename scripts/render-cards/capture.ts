/**
 * Captures the Adaptive Cards the bot really sends, as JSON, by talking to the real bot over HTTP.
 *
 * It starts `node dist/src/index.js` (so run `npm run build` first) on the embedded engine over the
 * generated sample telemetry, with a throw-away store, and plays Teams: channel messages that
 * @mention the bot and `adaptiveCard/action` invokes (Action.Execute), exactly as `huntbot chat` and
 * test/e2e/tagging-over-http.test.ts do, with the bot's replies landing on a LocalConnector. A hunt's
 * card is the final update of its "running" card. The bot is stopped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cardOf, isRunningCard } from '../../src/cli/chat/card-text';
import { LocalConnector } from '../../src/cli/chat/connector-server';
import { defaultIdentity, executeInvoke, mentionMessage, postActivity } from '../../src/cli/chat/teams-activity';

export type Card = Record<string, unknown>;

/** The captured cards, by the name of the PNG each becomes. */
export interface CapturedCards {
  [name: string]: Card;
}

const identity = defaultIdentity('Alice');

/** Environment for the bot: local, unauthenticated, embedded engine over sample telemetry. */
function botEnv(port: number, storePath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(Microsoft|HUNT_|SENTINEL_|HUNTS_DIR$|HOST$|PORT$|AZURE_)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, PORT: String(port), HUNT_STORE_PATH: storePath, LOG_LEVEL: 'info' };
}

async function startBot(root: string, port: number, storePath: string, log: (line: string) => void): Promise<ChildProcess> {
  const entry = path.join(root, 'dist', 'src', 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [entry], { cwd: root, env: botEnv(port, storePath), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bot did not report "listening" within 120 s')), 120_000);
    let buffered = '';
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with code ${code} before listening`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (/listening/i.test(line)) {
          log(line.length > 200 ? `${line.slice(0, 200)}…` : line);
          clearTimeout(timer);
          resolve();
        }
      }
    });
  });
  return child;
}

async function stopBot(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Finds the first Action.Execute with this verb (and this device, when given) on a card. */
function executeAction(card: Card, verb: string): { data: Record<string, unknown> } {
  let found: { data: Record<string, unknown> } | undefined;
  const visit = (node: unknown): void => {
    if (found) return;
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const r = node as Record<string, unknown>;
      if (r.type === 'Action.Execute' && r.verb === verb) found = { data: (r.data ?? {}) as Record<string, unknown> };
      else Object.values(r).forEach(visit);
    }
  };
  visit(card);
  if (!found) throw new Error(`no Action.Execute "${verb}" on the card`);
  return found;
}

export async function captureCards(root: string, port: number, log: (line: string) => void): Promise<CapturedCards> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-render-cards-'));
  const connector = await new LocalConnector().start();
  let bot: ChildProcess | undefined;
  try {
    bot = await startBot(root, port, path.join(tmp, 'huntbot.db'), log);
    const botUrl = `http://127.0.0.1:${port}/api/messages`;

    /** Says something to the bot; returns the id and final card of its (last) card reply. */
    const say = async (text: string): Promise<{ id: string; card: Card }> => {
      const before = connector.events.length;
      const response = await postActivity(botUrl, mentionMessage(identity, connector.url, text));
      if (response.status >= 400) throw new Error(`"${text}": the bot answered HTTP ${response.status}`);
      const sent = connector.events.slice(before).filter((e) => e.operation === 'send' && cardOf(e.activity));
      const running = sent.find((e) => isRunningCard(cardOf(e.activity)));
      if (running) {
        const deadline = Date.now() + 300_000;
        for (;;) {
          const latest = connector.activities.get(running.id);
          const card = latest && cardOf(latest.activity);
          if (latest?.operation === 'update' && card && !isRunningCard(card)) return { id: running.id, card };
          if (Date.now() > deadline) throw new Error(`"${text}": the hunt did not finish within 300 s`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const last = sent[sent.length - 1];
      if (!last) throw new Error(`"${text}": the bot answered without a card`);
      return { id: last.id, card: cardOf(last.activity)! };
    };

    /** Presses an Action.Execute; returns the card of the invoke response. */
    const execute = async (messageId: string, verb: string, data: Record<string, unknown>): Promise<Card> => {
      const response = await postActivity(botUrl, executeInvoke(identity, connector.url, messageId, verb, data));
      const body = response.body as { type?: string; value?: unknown } | undefined;
      if (response.status !== 200 || body?.type !== 'application/vnd.microsoft.card.adaptive' || !body.value) {
        throw new Error(`${verb}: the bot answered HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
      }
      return body.value as Card;
    };

    const cards: CapturedCards = {};
    log('capturing: help');
    cards['help-card'] = (await say('help')).card;
    log('capturing: hunts rmm');
    cards['catalog-card'] = (await say('hunts rmm')).card;
    log('capturing: hunt rmm anydesk all 5d');
    cards['anydesk-all-card'] = (await say('hunt rmm anydesk all 5d')).card;
    log('capturing: lookup domain evil-example.com 7d');
    cards['lookup-card'] = (await say('lookup domain evil-example.com 7d')).card;
    log('capturing: hunt rmm desktopnow 5d');
    const result = await say('hunt rmm desktopnow 5d');
    cards['result-card'] = result.card;

    log('capturing: Tag benign (hit.tag) on the first device');
    const tag = executeAction(result.card, 'hit.tag');
    const form = await execute(result.id, 'hit.tag', tag.data);
    cards['tag-form'] = form;

    log('capturing: Save tag (hit.tag.save) with scenario backup-job');
    const save = executeAction(form, 'hit.tag.save');
    cards['tagged-row'] = await execute(result.id, 'hit.tag.save', {
      ...save.data,
      scenario: 'backup-job',
      justification: 'IT runs nightly backups from this host with DesktopNow',
      expiry: '90d',
    });
    return cards;
  } finally {
    if (bot) await stopBot(bot);
    await connector.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
