import { expandCard } from '../cards/card-templates';
import { formatUtc, truncate } from '../cards/text';
import type { HuntCatalog } from '../hunts/catalog';
import type { AuditEntry, AuditFilter } from '../stores/exclusion-store';
import type { TagService } from '../tags/tag-service';
import { countOf } from '../text/count-text';
import { cleanDisplayText, cleanName } from '../text/display-text';
import type { CommandReply } from './command-reply';
import type { CommandArgs, CommandSpec } from './command-spec';
import { huntKeyFromWords } from './exclusions-command';

export const AUDIT_PER_PAGE = 15;
const USAGE = 'Usage: `audit [<family> <tool>] [<device>] [since <date>]`, e.g. `audit`, `audit rmm desktopnow`, `audit fin-ws-001 since 2026-11-01` or `audit rmm desktopnow fin-ws-001 since 7d`.';

/** What `audit` shows: entries of one hunt key or family, about one device, since a time, one page of them. */
export interface AuditQuery {
  huntKey?: string;
  family?: string;
  device?: string;
  since?: Date;
  page: number;
  /** The command without its page, to page with. */
  text: string;
}

const DONE: Record<AuditEntry['action'], string> = {
  tag: 'tagged benign',
  untag: 'removed a tag',
  denied: 'was refused',
  bookmark: 'bookmarked',
  incident: 'added a bookmark to an incident',
};

/** Parses the words after `audit`; every problem is said with the usage. */
export function parseAuditArgs(catalog: HuntCatalog, args: CommandArgs, now: Date): AuditQuery | { problem: string } {
  const words = [...args.words];
  const raw = [...args.raw];
  let page = 0;
  if (words.length >= 2 && words[words.length - 2] === 'page') {
    const n = /^\d{1,5}$/.test(words[words.length - 1]!) ? Number(words[words.length - 1]) : 0;
    if (n < 1) return { problem: `"${truncate(raw[raw.length - 1]!, 20)}" is not a page number. ${USAGE}` };
    page = n - 1;
    words.splice(-2);
    raw.splice(-2);
  }
  let since: Date | undefined;
  const at = words.indexOf('since');
  if (at >= 0) {
    const value = words[at + 1];
    since = value === undefined ? undefined : sinceOf(value, now);
    if (!since) return { problem: `"since" needs a date (YYYY-MM-DD) or an age (7d, 12h). ${USAGE}` };
    words.splice(at, 2);
    raw.splice(at, 2);
  }
  const query: AuditQuery = { page, text: ['audit', ...raw, ...(at >= 0 ? ['since', args.raw[at + 1]!] : [])].join(' '), ...(since ? { since } : {}) };
  if (words.length === 0) return query;
  if (words.length === 1) return catalog.families().includes(words[0]!) ? { ...query, family: words[0] } : { ...query, device: raw[0] };
  if (words.length > 3) return { problem: USAGE };
  const key = huntKeyFromWords(catalog, words[0]!, words[1]!);
  if ('problem' in key) return { problem: `${key.problem} ${USAGE}` };
  return { ...query, huntKey: key.huntKey, ...(words.length === 3 ? { device: raw[2] } : {}) };
}

function sinceOf(value: string, now: Date): Date | undefined {
  const age = /^(\d{1,4})([dh])$/.exec(value);
  if (age) return new Date(now.getTime() - Number(age[1]) * (age[2] === 'd' ? 86_400_000 : 3_600_000));
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!day) return undefined;
  const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  return Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(day[3]) ? undefined : new Date(ms);
}

/**
 * `audit [<family> <tool>] [<device>] [since <date>]`: who tagged, untagged, bookmarked, added to an incident
 * or was refused what, when and why, newest first, from the append-only audit trail; a page at a time.
 */
export function auditCommand(catalog: HuntCatalog, tags: TagService, now: () => Date = () => new Date()): CommandSpec {
  return {
    id: 'audit',
    usage: 'audit [<family> <tool>] [<device>] [since <date>]',
    summary: 'Who tagged, untagged, bookmarked or was refused what, when and why, newest first, from the audit trail.',
    examples: ['audit', 'audit rmm desktopnow', 'audit fin-ws-001 since 7d'],
    permission: 'hunt',
    handle: async (args: CommandArgs): Promise<CommandReply> => {
      const query = parseAuditArgs(catalog, args, now());
      if ('problem' in query) return { kind: 'text', text: query.problem };
      // Audit entries name devices by id; the tags name them too, so a device can be asked for by name.
      const names = new Map((await tags.list().catch(() => [])).map((t) => [t.deviceId, t.deviceName]));
      const found = await pageOf(tags, query, names);
      if (found === undefined) return { kind: 'text', text: 'This tag store keeps no audit trail the bot can read.' };
      const { total, page, shown } = found;
      const pages = Math.max(1, Math.ceil(total / AUDIT_PER_PAGE));
      const scope = [query.huntKey ?? query.family, query.device, query.since ? `since ${formatUtc(query.since.toISOString())}` : undefined].filter(Boolean).join(' · ');
      return {
        kind: 'card',
        summary: countOf(total, 'audit entry', 'audit entries'),
        card: expandCard('audit', {
          title: scope ? `Audit trail: ${truncate(cleanName(scope), 120)}` : 'Audit trail',
          subtitle: `${countOf(total, 'entry', 'entries')}, newest first`,
          emptyText: 'Nothing in the audit trail matches.',
          entries: shown.map((e) => ({
            headline: `${formatUtc(e.atUtc)} · ${truncate(cleanName(e.actorName || e.actorUpn || e.actorAadObjectId) || 'someone', 60)} ${DONE[e.action] ?? e.action}`,
            subject: subjectOf(e, names),
            detail: truncate(cleanDisplayText([e.detail, e.outcome ? `→ ${e.outcome}` : ''].filter((x) => x !== '').join(' ')), 400),
          })),
          pages,
          pageText: `Page ${page + 1} of ${pages}`,
          previousCommand: page > 0 ? `${query.text} page ${page}` : '',
          nextCommand: page + 1 < pages ? `${query.text} page ${page + 2}` : '',
          footer: 'The audit trail is append-only: entries are never changed or removed.',
        }),
      };
    },
  };
}

/**
 * The asked-for page (clamped to the last one) and how many entries match: filtered and cut in the store's
 * database when it can, else (a store without one) from the whole trail in memory, with the same result.
 */
async function pageOf(tags: TagService, query: AuditQuery, names: Map<string, string>): Promise<{ total: number; page: number; shown: AuditEntry[] } | undefined> {
  const filter = filterOf(query, names);
  const first = await tags.auditPage(filter, query.page * AUDIT_PER_PAGE, AUDIT_PER_PAGE);
  if (first !== undefined) {
    const last = Math.max(0, Math.ceil(first.total / AUDIT_PER_PAGE) - 1);
    if (query.page <= last) return { total: first.total, page: query.page, shown: first.entries };
    const clamped = await tags.auditPage(filter, last * AUDIT_PER_PAGE, AUDIT_PER_PAGE);
    return { total: clamped?.total ?? 0, page: last, shown: clamped?.entries ?? [] };
  }
  const trail = await tags.auditTrail();
  if (trail === undefined) return undefined;
  const matching = trail.filter((e) => matches(e, query, names)).reverse();
  const page = Math.min(query.page, Math.max(1, Math.ceil(matching.length / AUDIT_PER_PAGE)) - 1);
  return { total: matching.length, page, shown: matching.slice(page * AUDIT_PER_PAGE, (page + 1) * AUDIT_PER_PAGE) };
}

/** The query as the store's filter; a device asked for by name becomes the ids the tags give that name. */
function filterOf(query: AuditQuery, names: Map<string, string>): AuditFilter {
  const needle = query.device?.toLowerCase();
  const named = needle === undefined ? [] : [...names].filter(([, name]) => name.toLowerCase() === needle || name.toLowerCase().split('.')[0] === needle).map(([id]) => id);
  return {
    ...(query.huntKey !== undefined ? { huntKey: query.huntKey } : {}),
    ...(query.family !== undefined ? { family: query.family } : {}),
    ...(query.since ? { sinceUtc: query.since.toISOString() } : {}),
    ...(needle !== undefined ? { deviceNeedle: needle, deviceIds: named } : {}),
  };
}

function matches(entry: AuditEntry, query: AuditQuery, names: Map<string, string>): boolean {
  const [huntKey, deviceId = ''] = splitKey(entry.searchKey);
  if (query.huntKey && huntKey !== query.huntKey) return false;
  if (query.family && !huntKey.startsWith(`${query.family}/`)) return false;
  if (query.since && !(Date.parse(entry.atUtc) >= query.since.getTime())) return false;
  if (query.device) {
    const needle = query.device.toLowerCase();
    const name = (names.get(deviceId) ?? '').toLowerCase();
    if (deviceId.toLowerCase() !== needle && name !== needle && name.split('.')[0] !== needle) return false;
  }
  return true;
}

function subjectOf(entry: AuditEntry, names: Map<string, string>): string {
  const [huntKey, deviceId = ''] = splitKey(entry.searchKey);
  const name = names.get(deviceId);
  return `${huntKey} · ${truncate(cleanName(name ? `${name} (${deviceId})` : deviceId), 120)}`;
}

function splitKey(searchKey: string): [string, string?] {
  const bar = searchKey.lastIndexOf('|');
  return bar < 0 ? [searchKey] : [searchKey.slice(0, bar), searchKey.slice(bar + 1)];
}
