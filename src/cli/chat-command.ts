import * as readline from 'node:readline/promises';
import { EXIT_FAILURE, EXIT_OK, UsageError, defineCommand, wholeNumber } from './command-line';
import type { CliIO } from './io';
import { cardOf, isRunningCard, renderCardText, type CardAction, type RenderedCard } from './chat/card-text';
import { LocalConnector, type ConnectorActivity } from './chat/connector-server';
import { PendingHunts } from './chat/pending-hunts';
import { defaultIdentity, executeInvoke, mentionMessage, postActivity, submitMessage, type ChatIdentity } from './chat/teams-activity';
import { errorMessage } from '../util/error-message';
import { countOf } from '../text/count-text';

// Same default port as the bot (PORT), on loopback where an unauthenticated bot listens.
const DEFAULT_URL = `http://127.0.0.1:${process.env.PORT || 3978}/api/messages`;
const DEFAULT_TIMEOUT_SECONDS = 300;

interface ChatOptions {
  url: string;
  once?: string;
  json: boolean;
  timeoutMs: number;
}

/** `huntbot chat`: a terminal Teams channel for the running bot (the Bot Framework Emulator is archived). */
export const chatCommand = defineCommand({
  name: 'chat',
  usage: "usage: huntbot chat [--url URL] [--once '<text>' [--json]] [--timeout SECONDS]",
  help: `A terminal Teams channel: posts Teams-shaped channel messages that mention the bot to a running bot and
shows its replies and in-place card updates. Type a command ("hunt rmm desktopnow 5d" or "@HuntBot hunt ...");
/N presses action N of the last card, /quit leaves. When the input ends (a pipe), it waits for the hunts
still running to finish before leaving.

  --url URL          the bot's messaging endpoint (default ${DEFAULT_URL}; PORT sets the port)
  --once '<text>'    send one message, print the final card, and exit (for scripts)
  --json             with --once: print {"text":[...],"card":{...}} instead
  --timeout SECONDS  how long to wait for a running hunt's result (default ${DEFAULT_TIMEOUT_SECONDS})

Exit 0 when the bot answered, 1 when it could not be reached or did not finish in time, 2 on a usage error.`,
  options: { url: { type: 'string' }, once: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (send text with --once or type it after starting)`);
    if (values.json && values.once === undefined) throw new UsageError('--json goes with --once');
    const options: ChatOptions = {
      url: values.url ?? DEFAULT_URL,
      once: values.once,
      json: values.json === true,
      timeoutMs: (values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : wholeNumber('--timeout', values.timeout, 1)) * 1000,
    };
    const hint = endpointHint(options.url);
    if (hint) io.err(`huntbot chat: ${hint}`);
    const connector = await new LocalConnector().start();
    try {
      return options.once !== undefined ? await once(options, connector, io) : await interactive(options, connector, io);
    } finally {
      await connector.stop();
    }
  },
});

/** A usage error for a URL that is not one; a hint (not an error: a proxy may use its own path) for a path other than the bot's. */
function endpointHint(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url must be a URL such as ${DEFAULT_URL}`);
  }
  if (/\/api\/messages\/?$/.test(parsed.pathname)) return undefined;
  const suggested = new URL('/api/messages', parsed).toString();
  return `note: the bot listens on /api/messages; ${url} has another path. Did you mean --url ${suggested}?`;
}

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
  // Like a Teams client, say which time zone the person is in (absolute windows are read in it).
  const identity: ChatIdentity = { ...defaultIdentity(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  const received: ConnectorActivity[] = [];
  connector.on('activity', (event: ConnectorActivity) => received.push(event));
  const response = await send(options, mentionMessage(identity, connector.url, options.once ?? ''), io);
  if (!response || response.status >= 400) return EXIT_FAILURE;

  // The turn has ended; a running card is replaced later by the result.
  const latest = () => received.filter((e) => e.operation === 'send');
  const running = latest().find((e) => isRunningCard(cardOf(e.activity)));
  let finalCard: Record<string, unknown> | undefined;
  if (running) {
    try {
      const isResult = (e: ConnectorActivity) => e.operation === 'update' && e.id === running.id;
      // A fast hunt's result can arrive before the bot has answered the message's POST.
      const update = received.find(isResult) ?? (await connector.waitFor(isResult, options.timeoutMs));
      finalCard = cardOf(update.activity);
    } catch {
      io.err(`huntbot chat: the hunt did not finish within ${options.timeoutMs / 1000} s (--timeout)`);
      return EXIT_FAILURE;
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
  return texts.length > 0 || finalCard ? EXIT_OK : EXIT_FAILURE;
}

function printCard(io: CliIO, rendered: RenderedCard): void {
  for (const line of rendered.lines) io.out(`  ${line}`);
  rendered.actions.forEach((action, i) => io.out(`  [/${i + 1}] ${action.title}${action.context ? ` — ${action.context}` : ''}`));
}

async function interactive(options: ChatOptions, connector: LocalConnector, io: CliIO): Promise<number> {
  // Like a Teams client, say which time zone the person is in (absolute windows are read in it).
  const identity: ChatIdentity = { ...defaultIdentity(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  const input = io.input ?? process.stdin;
  const rl = readline.createInterface({ input, output: process.stdout, terminal: (input as { isTTY?: boolean }).isTTY === true });
  const pending = new PendingHunts();
  let current: { activityId: string; card: Record<string, unknown>; revealed: Set<string>; rendered: RenderedCard } | undefined;

  const show = (label: string, activityId: string, card: Record<string, unknown>, revealed = new Set<string>()) => {
    const rendered = renderCardText(card, revealed);
    current = { activityId, card, revealed, rendered };
    io.out(`── ${label}`);
    printCard(io, rendered);
  };

  connector.on('activity', (event: ConnectorActivity) => {
    pending.observe(event);
    const card = cardOf(event.activity);
    const label = event.operation === 'update' ? `HuntBot updated its card (${event.id})` : `HuntBot (${event.id})`;
    if (card) show(label, event.id, card);
    else if (typeof event.activity.text === 'string') io.out(`── HuntBot: ${event.activity.text}`);
  });

  io.out(`Talking to ${options.url} as ${identity.userName}, replies arrive at ${connector.url}`);
  io.out('Type a command (try: hunt rmm desktopnow 5d). /N presses action N of the last card, /quit leaves.');
  let quit = false;
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (text === '') continue;
      if (text === '/quit' || text === '/exit') {
        quit = true;
        break;
      }
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
  // The input ended (a pipe, or Ctrl-D) while hunts still run: their results are what the person is waiting for.
  if (!quit && pending.size > 0 && !(await pending.settled(options.timeoutMs))) {
    io.err(`huntbot chat: ${countOf(pending.size, 'hunt')} still running after ${options.timeoutMs / 1000} s (--timeout); leaving`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
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
