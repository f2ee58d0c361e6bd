import * as readline from 'node:readline/promises';
import type { CliCommand, CliIO } from './io';
import { cardOf, isRunningCard, renderCardText, type CardAction, type RenderedCard } from './chat/card-text';
import { LocalConnector, type ConnectorActivity } from './chat/connector-server';
import { defaultIdentity, executeInvoke, mentionMessage, postActivity, submitMessage, type ChatIdentity } from './chat/teams-activity';
import { errorMessage } from '../util/error-message';

// Same default port as the bot (PORT), on loopback where an unauthenticated bot listens.
const DEFAULT_URL = `http://127.0.0.1:${process.env.PORT || 3978}/api/messages`;
const USAGE = "usage: huntbot chat [--url URL] [--once '<text>' [--json] [--timeout SECONDS]]";

interface ChatOptions {
  url: string;
  once?: string;
  json: boolean;
  timeoutMs: number;
}

function parseArgs(args: string[]): ChatOptions | string {
  const options: ChatOptions = { url: DEFAULT_URL, json: false, timeoutMs: 300_000 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--url' && args[i + 1]) options.url = args[++i];
    else if (arg === '--once' && args[i + 1] !== undefined) options.once = args[++i];
    else if (arg === '--json') options.json = true;
    else if (arg === '--timeout' && /^\d+$/.test(args[i + 1] ?? '')) options.timeoutMs = Number(args[++i]) * 1000;
    else return `unexpected argument "${arg}". ${USAGE}`;
  }
  if (options.json && options.once === undefined) return `--json goes with --once. ${USAGE}`;
  try {
    new URL(options.url);
  } catch {
    return `--url must be a URL such as ${DEFAULT_URL}`;
  }
  return options;
}

/** `huntbot chat`: a terminal Teams channel for the running bot (the Bot Framework Emulator is archived). */
export const chatCommand: CliCommand = async (args, io) => {
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.err(`huntbot chat: ${options}`);
    return 2;
  }
  const connector = await new LocalConnector().start();
  try {
    return options.once !== undefined ? await once(options, connector, io) : await interactive(options, connector, io);
  } finally {
    await connector.stop();
  }
};

async function send(options: ChatOptions, activity: unknown, io: CliIO): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await postActivity(options.url, activity);
    if (response.status >= 400) io.err(`huntbot chat: the bot answered HTTP ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
    return response;
  } catch (error) {
    io.err(`huntbot chat: cannot reach the bot at ${options.url} (${errorMessage(error)}). Is it running (npm start)?`);
    return undefined;
  }
}

async function once(options: ChatOptions, connector: LocalConnector, io: CliIO): Promise<number> {
  const identity = defaultIdentity();
  const received: ConnectorActivity[] = [];
  connector.on('activity', (event: ConnectorActivity) => received.push(event));
  const response = await send(options, mentionMessage(identity, connector.url, options.once ?? ''), io);
  if (!response || response.status >= 400) return 1;

  // The turn has ended; a running card is replaced later by the result.
  const latest = () => received.filter((e) => e.operation === 'send');
  const running = latest().find((e) => isRunningCard(cardOf(e.activity)));
  let finalCard: Record<string, unknown> | undefined;
  if (running) {
    try {
      const update = await connector.waitFor((e) => e.operation === 'update' && e.id === running.id, options.timeoutMs);
      finalCard = cardOf(update.activity);
    } catch {
      io.err(`huntbot chat: the hunt did not finish within ${options.timeoutMs / 1000} s`);
      return 1;
    }
  }
  const texts = latest().map((e) => e.activity.text).filter((t): t is string => typeof t === 'string' && t !== '');
  if (!finalCard) finalCard = [...latest()].reverse().map((e) => cardOf(e.activity)).find((c) => c !== undefined);
  if (options.json) {
    io.out(JSON.stringify({ text: texts, card: finalCard ?? null }, null, 2));
  } else {
    for (const t of texts) io.out(t);
    if (finalCard) printCard(io, renderCardText(finalCard));
  }
  return texts.length > 0 || finalCard ? 0 : 1;
}

function printCard(io: CliIO, rendered: RenderedCard): void {
  for (const line of rendered.lines) io.out(`  ${line}`);
  rendered.actions.forEach((action, i) => io.out(`  [/${i + 1}] ${action.title}`));
}

async function interactive(options: ChatOptions, connector: LocalConnector, io: CliIO): Promise<number> {
  const identity = defaultIdentity();
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let current: { activityId: string; card: Record<string, unknown>; revealed: Set<string>; rendered: RenderedCard } | undefined;

  const show = (label: string, activityId: string, card: Record<string, unknown>, revealed = new Set<string>()) => {
    const rendered = renderCardText(card, revealed);
    current = { activityId, card, revealed, rendered };
    io.out(`── ${label}`);
    printCard(io, rendered);
  };

  connector.on('activity', (event: ConnectorActivity) => {
    const card = cardOf(event.activity);
    const label = event.operation === 'update' ? `HuntBot updated its card (${event.id})` : `HuntBot (${event.id})`;
    if (card) show(label, event.id, card);
    else if (typeof event.activity.text === 'string') io.out(`── HuntBot: ${event.activity.text}`);
  });

  io.out(`Talking to ${options.url} as ${identity.userName}, replies arrive at ${connector.url}`);
  io.out('Type a command (try: hunt rmm desktopnow 5d). /N presses action N of the last card, /quit leaves.');
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text === '') continue;
      if (text === '/quit' || text === '/exit') break;
      const press = /^\/(\d+)$/.exec(text);
      if (press) {
        const action = current?.rendered.actions[Number(press[1]) - 1];
        if (!current || !action) io.out('No such action on the last card.');
        else await pressAction(options, identity, connector, rl, io, current, action, show);
        continue;
      }
      await send(options, mentionMessage(identity, connector.url, text), io);
    }
  } finally {
    rl.close();
  }
  return 0;
}

async function pressAction(
  options: ChatOptions,
  identity: ChatIdentity,
  connector: LocalConnector,
  rl: readline.Interface,
  io: CliIO,
  current: { activityId: string; card: Record<string, unknown>; revealed: Set<string>; rendered: RenderedCard },
  action: CardAction,
  show: (label: string, activityId: string, card: Record<string, unknown>, revealed?: Set<string>) => void,
): Promise<void> {
  if (action.type === 'Action.ToggleVisibility') {
    for (const id of action.targetElements ?? []) {
      if (current.revealed.has(id)) current.revealed.delete(id);
      else current.revealed.add(id);
    }
    show('card (toggled)', current.activityId, current.card, current.revealed);
    return;
  }
  if (action.type === 'Action.OpenUrl') {
    io.out(`Open: ${String((action as unknown as { url?: string }).url ?? '')}`);
    return;
  }
  const inputs: Record<string, string> = {};
  const wantsInputs = !(action.data && action.data.promptChoice !== undefined);
  if (wantsInputs) {
    for (const input of current.rendered.inputs) {
      if (input.choices && input.choices.length > 0) {
        input.choices.forEach((c, i) => io.out(`    ${i + 1}. ${c.title}`));
      }
      const answer = (await rl.question(`  ${input.label}${input.value ? ` [${input.value}]` : ''}: `)).trim();
      const byNumber = input.choices && /^\d+$/.test(answer) ? input.choices[Number(answer) - 1]?.value : undefined;
      inputs[input.id] = byNumber ?? (answer === '' ? (input.value ?? '') : answer);
    }
  }
  const data = { ...(action.data ?? {}), ...inputs };
  if (action.type === 'Action.Submit') {
    await send(options, submitMessage(identity, connector.url, current.activityId, data), io);
    return;
  }
  if (action.type === 'Action.Execute') {
    const response = await send(options, executeInvoke(identity, connector.url, current.activityId, action.verb ?? '', data), io);
    const body = response?.body as { type?: string; value?: unknown } | undefined;
    if (body?.type === 'application/vnd.microsoft.card.adaptive' && body.value && typeof body.value === 'object') {
      show('your view of the card', current.activityId, body.value as Record<string, unknown>);
    } else if (body?.type === 'application/vnd.microsoft.activity.message') {
      io.out(`── HuntBot (only you): ${String(body.value)}`);
    } else if (body?.type === 'application/vnd.microsoft.error') {
      io.out(`── HuntBot error: ${JSON.stringify(body.value)}`);
    }
  }
}
