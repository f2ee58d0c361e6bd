import { expandCard } from '../cards/card-templates';
import { formatUtc, truncate } from '../cards/text';
import type { HuntCatalog } from '../hunts/catalog';
import { huntKeyOf } from '../domain/hunt-definition';
import { EVERY_DEVICE, familyKeyOf, isActive } from '../stores/exclusion-store';
import type { TagService } from '../tags/tag-service';
import { countOf } from '../text/count-text';
import { cleanDisplayText, cleanName } from '../text/display-text';
import type { CommandReply } from './command-reply';
import type { CommandArgs, CommandSpec } from './command-spec';
import { LOOKUP_FAMILY } from './lookup-command';
import { lookupTagKey, UNTAG_LOOKUP_USAGE, untagLookup } from './untag-lookup';

const MAX_LISTED = 40;

/** Resolves `<family> <tool>` to the hunt key tags are stored under, or explains why not. */
export function huntKeyFromWords(catalog: HuntCatalog, family: string, tool: string): { huntKey: string } | { problem: string } {
  const resolution = catalog.resolve(family, tool);
  if (resolution.ok) return { huntKey: huntKeyOf({ family, tool: resolution.tool.tool }) };
  if (resolution.problem === 'no-hunt') return { huntKey: `${family}/${tool}` };
  const suggestions = resolution.suggestions.length > 0 ? ` Did you mean ${resolution.suggestions.join(', ')}?` : '';
  return { problem: `${resolution.message}${suggestions}` };
}

const USAGE_REPLY = 'Usage: `exclusions`, `exclusions <family>` or `exclusions <family> <tool>`, e.g. `exclusions rmm` or `exclusions rmm desktopnow`.';

/** Which tags `exclusions` lists: all, one family's (`rmm/…`), or one tool's hunt key; or why the words name none. */
interface TagSelection {
  /** What the card's title names: a family or a hunt key (none: every tag). */
  label?: string;
  /** The one hunt key the store can filter by itself. */
  huntKey?: string;
  matches: (huntKey: string) => boolean;
}

function tagSelection(catalog: HuntCatalog, words: readonly string[]): TagSelection | { problem: string } {
  if (words.length === 0) return { matches: () => true };
  if (words.length === 1) {
    const family = words[0].toLowerCase();
    // An unknown family gets the same answer (families, "did you mean") as `exclusions <family> <tool>`.
    if (!catalog.families().includes(family)) {
      const unknown = huntKeyFromWords(catalog, words[0], '');
      return 'problem' in unknown ? unknown : { problem: USAGE_REPLY };
    }
    return { label: family, matches: (huntKey) => huntKey.startsWith(`${family}/`) };
  }
  if (words.length === 2) {
    const key = huntKeyFromWords(catalog, words[0], words[1]);
    if ('problem' in key) return key;
    // A tool's tags include its family's device tags (`<family>/*`), which apply to it too.
    return { label: key.huntKey, matches: (huntKey) => huntKey === key.huntKey || huntKey === familyKeyOf(key.huntKey) };
  }
  return { problem: USAGE_REPLY };
}

/** `exclusions [<family> [<tool>]]`: the benign tags, with scenario, who, when, why and until when. */
export function exclusionsCommand(catalog: HuntCatalog, tags: TagService, now: () => Date = () => new Date()): CommandSpec {
  return {
    id: 'exclusions',
    usage: 'exclusions [<family> [<tool>]]',
    summary: 'List devices tagged benign (scenario, who, why, when, until when), for all hunts, a family or one tool.',
    examples: ['exclusions', 'exclusions rmm', 'exclusions rmm desktopnow'],
    permission: 'hunt',
    handle: async (args: CommandArgs): Promise<CommandReply> => {
      const selection = tagSelection(catalog, args.words);
      if ('problem' in selection) return { kind: 'text', text: selection.problem };
      const at = now();
      const all = (await tags.list(selection.huntKey))
        .filter((t) => selection.matches(t.huntKey))
        .sort((a, b) => b.taggedAtUtc.localeCompare(a.taggedAtUtc));
      const shown = all.slice(0, MAX_LISTED);
      const { label } = selection;
      return {
        kind: 'card',
        summary: countOf(all.length, 'benign tag'),
        card: expandCard('exclusions', {
          title: label ? `Benign tags for ${label}` : 'Benign tags',
          emptyText: label ? `No device is tagged benign for ${label}.` : 'No device is tagged benign yet.',
          tags: shown.map((t) => ({
            device: t.deviceId === EVERY_DEVICE ? 'every device' : truncate(cleanName(t.deviceName || t.deviceId), 100),
            huntKey: t.huntKey,
            line: `${truncate(cleanName(catalog.scenarioTitle(t.huntKey, t.scenario)), 80)} — ${truncate(cleanName(t.taggedByName || t.taggedByUpn || t.taggedByAadObjectId) || 'someone', 60)}, ${formatUtc(t.taggedAtUtc)} · ${
              t.expiresAtUtc === '' ? 'no expiry' : isActive(t, at) ? `until ${formatUtc(t.expiresAtUtc)}` : `expired ${formatUtc(t.expiresAtUtc)}`
            }`,
            justification: truncate(cleanDisplayText(t.justification), 300),
          })),
          moreText: all.length > shown.length ? `… and ${all.length - shown.length} more.` : '',
          footer: `Remove one with \`untag <family> <tool> <device name or id>\`${catalog.families().includes(LOOKUP_FAMILY) ? ` or \`${UNTAG_LOOKUP_USAGE}\`` : ''}.`,
        }),
      };
    },
  };
}

/**
 * `untag <family> <tool> <device>`: removes a benign tag so the device shows in the hunt again;
 * `untag lookup <kind> <value> [<device>]` removes one of a lookup's (untag-lookup.ts).
 */
export function untagCommand(catalog: HuntCatalog, tags: TagService): CommandSpec {
  const lookups = () => catalog.families().includes(LOOKUP_FAMILY);
  return {
    id: 'untag',
    usage: 'untag <family> <tool> <device> | untag lookup <kind> <value> [<device>]',
    summary: 'Remove a benign tag so the device shows up in that hunt (or lookup) again.',
    examples: ['untag rmm desktopnow fin-ws-001.contoso.local', 'untag lookup device fin-ws-001', 'untag lookup domain example.com mkt-ws-005'],
    permission: 'tag',
    // Refused as the card's Untag is (the same policy and permission), and recorded in the audit trail as it is.
    onRefused: (args, requester, reason) => tags.audit('denied', refusedSubject(catalog, args), requester, `${reason} (untag by command)`),
    handle: async (args, requester): Promise<CommandReply> => {
      if (args.words[0] === LOOKUP_FAMILY && lookups()) return untagLookup(catalog, tags, { words: args.words.slice(1), raw: args.raw.slice(1) }, requester);
      if (args.words.length !== 3) return { kind: 'text', text: `Usage: \`untag <family> <tool> <device name or id>\`${lookups() ? ` or \`${UNTAG_LOOKUP_USAGE}\`` : ''}.` };
      const key = huntKeyFromWords(catalog, args.words[0], args.words[1]);
      if ('problem' in key) return { kind: 'text', text: key.problem };
      const removed = await tags.untagDevice(key.huntKey, args.raw[2], requester);
      if (!removed) return { kind: 'text', text: `No benign tag for "${truncate(args.raw[2], 60)}" under ${key.huntKey}. See \`exclusions ${args.words[0]} ${args.words[1]}\`.` };
      return { kind: 'text', text: `Removed the benign tag on ${removed.deviceName || removed.deviceId} for ${key.huntKey}; it will show in the next run.` };
    },
  };
}

/** What a refused `untag` was about, for the audit trail: the tag's key as far as the words name it. */
function refusedSubject(catalog: HuntCatalog, args: CommandArgs): string {
  const device = (words: readonly string[], at: number) => truncate(cleanName(words[at] ?? '?'), 80);
  if (args.words[0] === LOOKUP_FAMILY) {
    const key = lookupTagKey(catalog, { raw: args.raw.slice(1) });
    return 'problem' in key ? 'lookup/?|?' : `${key.huntKey}|${device(args.raw, 3)}`;
  }
  const key = args.words.length >= 2 ? huntKeyFromWords(catalog, args.words[0], args.words[1]) : { problem: '' };
  return 'problem' in key ? 'untag/?|?' : `${key.huntKey}|${device(args.raw, 2)}`;
}
