import type { HuntCatalog } from '../hunts/catalog';
import { checkArgument } from '../hunts/argument-types';
import { DEVICE_TOOLS_FAMILY, deviceToolHunts } from '../hunts/device-tool-hunts';
import { clip } from './command-registry';
import type { CommandReply } from './command-reply';
import type { CommandArgs, CommandSpec } from './command-spec';
import { runWindow, WINDOW_FORMS, type WindowParse } from './window';
import { parseWindowWords, type WindowContext } from './window-words';
import type { HuntRunRequest, HuntWindow, WindowLimit } from '../domain/hunt-request';
import type { CatalogTool, HuntArgument, HuntArgumentValue } from '../domain/hunt-definition';

/** The hunt family whose hunts are entity lookups (`lookup <tool> <value>`); users add their own in HUNTS_DIR. */
export const LOOKUP_FAMILY = 'lookup';
export const LOOKUP_USAGE = 'lookup device|hash|domain|url|ip|user <value> [<window>]';

const DAY_MS = 86_400_000;

/** When the lookup was asked and in which Teams time zone, and the backend's own look-back limit. */
export interface LookupContext extends Partial<WindowContext> {
  backendLimit?: WindowLimit;
}

/** `lookup <kind> <value> [<window>]`: every device where one entity shows up. Missing parts start the dialog. */
export function lookupCommand(catalog: HuntCatalog, backendLimit?: WindowLimit, clock: () => Date = () => new Date()): CommandSpec {
  return {
    id: 'lookup',
    usage: LOOKUP_USAGE,
    summary: 'Look one thing up: a device, a hash, a domain (with subdomains), a URL\'s exact host, an IP, or a user (UPN, DOMAIN\\name or name).',
    examples: ['lookup hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 7d', 'lookup domain example.com', 'lookup user CONTOSO\\alice 2d', 'lookup device fin-ws-0142'],
    permission: 'hunt',
    handle: (args, requester) => handleLookup(catalog, args, { now: clock(), timeZone: requester.timeZone, backendLimit }),
  };
}

/** Also serves `hunt lookup ...` (and so `huntbot hunt lookup ...`): `args` are the words after `lookup`. */
export function handleLookup(catalog: HuntCatalog, args: CommandArgs, context: LookupContext = {}): CommandReply {
  const [toolWord] = args.words;
  if (!toolWord) return { kind: 'ask', prompt: { family: LOOKUP_FAMILY } };
  const resolution = catalog.resolve(LOOKUP_FAMILY, toolWord, 'all');
  if (!resolution.ok) {
    const suggestions = resolution.suggestions.length > 0 ? ` Did you mean ${resolution.suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
    const kinds = catalog.tools(LOOKUP_FAMILY).map((t) => t.tool).join('|');
    return text(`There is no lookup for "${clip(args.raw[0] ?? toolWord)}".${suggestions} Usage: \`lookup ${kinds} <value> [<window>]\`.`);
  }
  const argument = sharedArgument(resolution.hunts.map((h) => h.arguments ?? []));
  if (!argument) return text(`The ${resolution.tool.tool} lookup's hunt files do not declare one shared argument, so it cannot run.`);

  const valueText = args.raw[1];
  if (valueText === undefined) return { kind: 'ask', prompt: { family: LOOKUP_FAMILY, tool: resolution.tool.tool } };
  const checked = checkArgument(argument.type, valueText);
  if (!checked.ok) return text(needs(`lookup ${resolution.tool.tool}`, checked.message));

  const windowWords = args.raw.slice(2);
  let requested: HuntWindow | undefined;
  if (windowWords.length > 0) {
    const parsed = lookupWindow(windowWords, context);
    if (!parsed.ok) return text(parsed.message);
    requested = parsed.window;
  }
  const resolved = runWindow(resolution.hunts, requested, { defaultMs: 7 * DAY_MS, backendLimit: context.backendLimit, now: context.now ?? new Date() });
  if (!resolved.ok) return text(resolved.message);
  return {
    kind: 'run-hunt',
    request: {
      family: LOOKUP_FAMILY,
      tool: resolution.tool,
      kind: resolution.kind,
      hunts: resolution.hunts,
      window: resolved.window,
      cappedFrom: resolved.cappedFrom,
      arguments: { [argument.name]: checked.argument },
      ...(resolved.cappedBecause ? { cappedBecause: resolved.cappedBecause } : {}),
      ...deviceTools(catalog, resolution.tool.tool, checked.argument),
    },
  };
}

/** The built-in device lookup runs every RMM hunt scoped to the device too, as `hunt rmm <tool> <kind> on <device>` would. */
function deviceTools(catalog: HuntCatalog, lookup: string, argument: HuntArgumentValue): Pick<HuntRunRequest, 'deviceTools'> {
  if (lookup !== 'device' || argument.type !== 'device') return {};
  const hunts = deviceToolHunts(catalog.hunts());
  return hunts.length > 0 ? { deviceTools: { family: DEVICE_TOOLS_FAMILY, device: argument.value, hunts } } : {};
}

/**
 * The one place a lookup reads its window: every word after the value, through the same parser as
 * `hunt` (relative, `since`, `a..b`, `around`), read in the sender's Teams time zone.
 */
export function lookupWindow(words: readonly string[], context: Partial<WindowContext> = {}): WindowParse {
  const parsed = parseWindowWords(words.filter((w) => w !== ''), { now: context.now ?? new Date(), timeZone: context.timeZone });
  if (!parsed.ok) return parsed;
  if (!parsed.window || parsed.rest.length > 0) return { ok: false, message: `"${clip(words.join(' '))}" is not a time window. Use ${WINDOW_FORMS}.` };
  return { ok: true, window: parsed.window };
}

/** What a lookup's value is, resolved and validated as `lookup` reads it: the lookup, its argument and the value. */
export type LookupEntity =
  | { ok: true; tool: CatalogTool; argumentName: string; value: HuntArgumentValue }
  | { ok: false; message: string };

/**
 * `<kind> <value>` read exactly as `lookup <kind> <value>` reads them (the same resolution, validator and
 * canonical value), for commands that name a lookup's entity (`untag lookup …`); `command` prefixes the messages.
 */
export function lookupEntity(catalog: HuntCatalog, kindText: string, valueText: string, command: string): LookupEntity {
  const resolution = catalog.resolve(LOOKUP_FAMILY, kindText.toLowerCase(), 'all');
  if (!resolution.ok) {
    const suggestions = resolution.suggestions.length > 0 ? ` Did you mean ${resolution.suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
    return { ok: false, message: `There is no lookup for "${clip(kindText)}".${suggestions}` };
  }
  const argument = sharedArgument(resolution.hunts.map((h) => h.arguments ?? []));
  if (!argument) return { ok: false, message: `The ${resolution.tool.tool} lookup's hunt files do not declare one shared argument.` };
  const checked = checkArgument(argument.type, valueText);
  if (!checked.ok) return { ok: false, message: needs(`${command} ${resolution.tool.tool}`, checked.message) };
  return { ok: true, tool: resolution.tool, argumentName: argument.name, value: checked.argument };
}

function needs(command: string, problem: string): string {
  return `\`${command}\` needs ${problem.replace(/^That is not /, '')}`;
}

/** `lookup hash <value> 7d`: the command that runs a lookup request again. */
export function lookupCommandText(request: HuntRunRequest): string {
  const values = Object.values(request.arguments ?? {}).map((a) => a.value);
  return [LOOKUP_FAMILY, request.tool.tool, ...values, request.cappedFrom ?? request.window.text].join(' ');
}

/** The argument every hunt of a lookup declares (same name and type), or undefined. */
function sharedArgument(declared: ReadonlyArray<readonly HuntArgument[]>): HuntArgument | undefined {
  const first = declared[0]?.[0];
  if (!first) return undefined;
  const same = declared.every((list) => list.length === 1 && list[0].name === first.name && list[0].type === first.type);
  return same ? first : undefined;
}

function text(value: string): CommandReply {
  return { kind: 'text', text: value };
}
