import type { HuntCatalog } from '../hunts/catalog';
import { clip } from './command-registry';
import type { CommandReply } from './command-reply';
import type { HuntRunRequest } from '../domain/hunt-request';
import type { CommandArgs, CommandSpec } from './command-spec';
import { capWindow, looksLikeWindow, parseWindow, WINDOW_FORMS } from './window';
import { type HuntWindow } from '../domain/hunt-request';
import { didYouMean } from '../util/did-you-mean';
import { handleLookup, LOOKUP_FAMILY, lookupCommandText } from './lookup-command';

const DAY_MS = 86_400_000;

/** `hunt <family> <tool> [<kind>] [<window>]`. Missing parts start a dialog instead of failing. */
export function huntCommand(catalog: HuntCatalog): CommandSpec {
  return {
    id: 'hunt',
    usage: 'hunt <family> <tool> [<kind>|all] [<window>]',
    summary: 'Run a hunt and show the hits per device.',
    examples: ['hunt rmm desktopnow 5d', 'hunt rmm anydesk network 7d', 'hunt rmm desktopnow all 12h', 'hunt rmm any 5d'],
    permission: 'hunt',
    handle: (args) => handleHunt(catalog, args),
  };
}

export function handleHunt(catalog: HuntCatalog, args: CommandArgs): CommandReply {
  const [family, tool, ...rest] = args.words;
  if (!family) return { kind: 'ask', prompt: {} };

  const families = catalog.families();
  if (!families.includes(family)) {
    const close = didYouMean(family, families);
    const hint = close.length > 0 ? ` Did you mean \`${close[0]}\`?` : '';
    return text(`There is no hunt family "${clip(args.raw[0])}".${hint} Families: ${families.map(code).join(', ')}.`);
  }
  if (family === LOOKUP_FAMILY) return handleLookup(catalog, { words: args.words.slice(1), raw: args.raw.slice(1) });
  if (!tool) return { kind: 'ask', prompt: { family } };

  let kindWord: string | undefined;
  let windowWord: string | undefined;
  for (const word of rest) {
    if (looksLikeWindow(word) && windowWord === undefined) windowWord = word;
    else if (kindWord === undefined) kindWord = word;
    else return text(`Too many words after \`hunt ${family} ${tool}\`. Usage: \`hunt <family> <tool> [<kind>|all] [<window>]\`.`);
  }

  let requested: HuntWindow | undefined;
  if (windowWord !== undefined) {
    const parsed = parseWindow(windowWord);
    if (!parsed.ok) return text(parsed.message);
    requested = parsed.window;
  }

  const resolution = catalog.resolve(family, tool, kindWord);
  if (!resolution.ok) {
    const suggestions = resolution.suggestions.length > 0 ? ` Did you mean ${resolution.suggestions.map(code).join(', ')}?` : '';
    return text(`${resolution.message}${suggestions}`);
  }

  const maxMs = Math.min(...resolution.hunts.map((h) => h.maxWindowMs || 30 * DAY_MS));
  const defaultMs = Math.min(...resolution.hunts.map((h) => h.defaultWindowMs || 5 * DAY_MS));
  const wanted = requested ?? { text: `${defaultMs / DAY_MS}d`, ms: defaultMs };
  const { window, capped } = capWindow(wanted, maxMs);
  return {
    kind: 'run-hunt',
    request: {
      family,
      tool: resolution.tool,
      kind: resolution.kind,
      hunts: resolution.hunts,
      window,
      cappedFrom: capped ? wanted.text : undefined,
    },
  };
}

/** The command that reproduces a request ("hunt rmm desktopnow all 5d"), to run it again later. */
export function commandText(request: HuntRunRequest): string {
  if (request.arguments && Object.keys(request.arguments).length > 0) return lookupCommandText(request);
  return ['hunt', request.family, request.tool.tool, request.kind === 'all' ? 'all' : request.kind, request.cappedFrom ?? request.window.text].join(' ');
}

function text(value: string): CommandReply {
  return { kind: 'text', text: value };
}

function code(word: string): string {
  return `\`${word}\``;
}

export { WINDOW_FORMS };
