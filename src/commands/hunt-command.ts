import type { HuntCatalog } from '../hunts/catalog';
import { clip } from './command-registry';
import type { CommandReply } from './command-reply';
import type { HuntRunRequest } from '../domain/hunt-request';
import type { HuntDefinition } from '../domain/hunt-definition';
import type { CommandArgs, CommandSpec } from './command-spec';
import { runWindow, WINDOW_FORMS } from './window';
import { parseWindowWords } from './window-words';
import type { HuntScope, WindowLimit } from '../domain/hunt-request';
import { didYouMean } from '../util/did-you-mean';
import { checkDevice } from '../hunts/device-scope';
import { handleLookup, LOOKUP_FAMILY, lookupCommandText } from './lookup-command';

const DAY_MS = 86_400_000;

const USAGE = 'hunt <family> <tool> [<kind>|all] [<window>] [on <device>]';

/**
 * When the command was given and the sender's Teams time zone (what absolute windows are read against),
 * and the backend's own look-back (Defender XDR: 30 days), applied on top of each hunt's maxWindow.
 */
export interface HuntCommandContext {
  now?: Date;
  timeZone?: string;
  backendLimit?: WindowLimit;
}

/** `hunt <family> <tool> [<kind>] [<window>] [on <device>]`. Missing parts start a dialog instead of failing. */
export function huntCommand(catalog: HuntCatalog, backendLimit?: WindowLimit, clock: () => Date = () => new Date()): CommandSpec {
  return {
    id: 'hunt',
    usage: USAGE,
    summary: 'Run a hunt and show the hits per device, or on one device.',
    examples: [
      'hunt rmm desktopnow 5d',
      'hunt rmm anydesk network 7d',
      'hunt rmm desktopnow all 12h',
      'hunt rmm any 5d',
      'hunt rmm any since 2026-12-01T14:05',
      'hunt rmm anydesk 2026-12-01 09:00..2026-12-01 17:00',
      'hunt rmm any around 2026-12-01T14:05Z ±2h',
      'hunt rmm any 5d on WS-0042',
    ],
    permission: 'hunt',
    handle: (args, requester) => handleHunt(catalog, args, { now: clock(), timeZone: requester.timeZone, backendLimit }),
  };
}

export function handleHunt(catalog: HuntCatalog, args: CommandArgs, context: HuntCommandContext = {}): CommandReply {
  // `hunt lookup …` (and so `huntbot hunt lookup …`) is the lookup command with its own syntax.
  if (args.words[0] === LOOKUP_FAMILY && catalog.families().includes(LOOKUP_FAMILY)) {
    return handleLookup(catalog, { words: args.words.slice(1), raw: args.raw.slice(1) }, context);
  }
  const on = args.words.indexOf('on', 2);
  const [family, tool, ...rest] = on < 0 ? args.words : args.words.slice(0, on);
  if (!family) return { kind: 'ask', prompt: {} };

  const families = catalog.families();
  if (!families.includes(family)) {
    const close = didYouMean(family, families);
    const hint = close.length > 0 ? ` Did you mean \`${close[0]}\`?` : '';
    return text(`There is no hunt family "${clip(args.raw[0])}".${hint} Families: ${families.map(code).join(', ')}.`);
  }
  if (!tool) return { kind: 'ask', prompt: { family } };

  let scope: HuntScope | undefined;
  if (on >= 0) {
    const device = args.raw.slice(on + 1);
    if (device.length > 1) return text(`\`on\` takes one device name or DeviceId (no spaces), e.g. \`hunt ${family} ${tool} 5d on WS-0042\`.`);
    const checked = checkDevice(device[0] ?? '');
    if (!checked.ok) return text(checked.message);
    scope = { device: checked.device };
  }

  const now = context.now ?? new Date();
  const parsed = parseWindowWords(rest, { now, timeZone: context.timeZone });
  if (!parsed.ok) return text(parsed.message);
  const requested = parsed.window;
  if (parsed.rest.length > 1) return text(`Too many words after \`hunt ${family} ${tool}\`. Usage: \`${USAGE}\`.`);
  const kindWord = parsed.rest[0];

  const resolution = catalog.resolve(family, tool, kindWord);
  if (!resolution.ok) {
    const suggestions = resolution.suggestions.length > 0 ? ` Did you mean ${resolution.suggestions.map(code).join(', ')}?` : '';
    return text(`${resolution.message}${suggestions}`);
  }
  if (scope && resolution.hunts.some((h) => h.format === 'sentinel')) {
    // The bot appends nothing to a query it did not write, so it cannot keep one device: refuse rather than run unscoped.
    return text(`\`on <device>\` works only with the bot's own hunts; \`${family} ${tool}\` is an Azure-Sentinel query that runs as written. Run it without \`on\`.`);
  }

  if (requested?.range && endsBeforeNow(requested.range.end, now) && resolution.hunts.some(countsBackFromNow)) {
    // `ago(x)` counts back from the moment the query runs: a window that ended earlier cannot be written into it.
    return text(
      `\`${family} ${tool}\` is an Azure-Sentinel query that counts its window back from now (\`ago(…)\`), so it cannot search a window that ended in the past. ` +
        `Use a window that ends now, e.g. \`hunt ${family} ${tool} since ${requested.range.start.toISOString().slice(0, 16)}Z\` or \`hunt ${family} ${tool} 5d\`.`,
    );
  }

  const resolved = runWindow(resolution.hunts, requested, { defaultMs: 5 * DAY_MS, backendLimit: context.backendLimit, now });
  if (!resolved.ok) return text(resolved.message);
  return {
    kind: 'run-hunt',
    request: {
      family,
      tool: resolution.tool,
      kind: resolution.kind,
      hunts: resolution.hunts,
      window: resolved.window,
      cappedFrom: resolved.cappedFrom,
      ...(scope ? { scope } : {}),
      ...(resolved.cappedBecause ? { cappedBecause: resolved.cappedBecause } : {}),
    },
  };
}

/**
 * The command that reproduces a request ("hunt rmm desktopnow all 5d", "hunt rmm any since
 * 2026-12-01T13:05Z on WS-0042"), to run it again later; absolute windows are written in UTC, so it
 * asks for the same instants whoever presses Run again.
 */
export function reproducingCommand(request: HuntRunRequest): string {
  if (request.arguments && Object.keys(request.arguments).length > 0) return lookupCommandText(request);
  const words = ['hunt', request.family, request.tool.tool, request.kind === 'all' ? 'all' : request.kind, request.cappedFrom ?? request.window.text];
  if (request.scope) words.push('on', request.scope.device);
  return words.join(' ');
}

/** Windows ending more than this before the command are "in the past"; `since` windows end at the command. */
const ENDS_NOW_TOLERANCE_MS = 60_000;

function endsBeforeNow(end: Date, now: Date): boolean {
  return end.getTime() < now.getTime() - ENDS_NOW_TOLERANCE_MS;
}

/** A Sentinel-format hunt whose window is rewritten into `ago(…)` / `let lookback = …`: relative to the run's now. */
function countsBackFromNow(hunt: HuntDefinition): boolean {
  return hunt.format === 'sentinel' && (hunt.windowSlots ?? []).some((slot) => slot.role === 'lookback');
}

function text(value: string): CommandReply {
  return { kind: 'text', text: value };
}

function code(word: string): string {
  return `\`${word}\``;
}

export { WINDOW_FORMS };
