import { checkArgument } from './argument-types';
import type { DeviceHit, HuntRun, LookupPivot, RunEntity } from '../domain/hunt-run';

/**
 * What a lookup result offers to look up next. Values come from telemetry (attacker-controlled), so each
 * is validated as its type here, and the lookup it starts validates it again like typed text; the card
 * carries only an index into the stored run's list, never the value.
 */

/** Evidence columns whose values are entities, by the lookup that takes them. */
const PIVOT_COLUMNS: Readonly<Record<string, LookupPivot['lookup']>> = {
  SHA256s: 'hash',
  RemoteUrls: 'domain',
  RemoteHosts: 'domain',
  RemoteIPs: 'ip',
  PublicIPs: 'ip',
};

/** At most this many pivots per run: a card has room for a handful of buttons. */
export const MAX_PIVOTS = 24;

/** The distinct entities the hits show, hashes first, excluding the one looked up. */
export function lookupPivots(hits: readonly DeviceHit[], entity?: RunEntity): LookupPivot[] {
  const found: LookupPivot[] = [];
  const seen = new Set<string>();
  for (const kind of ['hash', 'domain', 'ip'] as const) {
    for (const hit of hits) {
      for (const evidence of hit.evidence) {
        if (PIVOT_COLUMNS[evidence.name] === undefined) continue;
        for (const value of evidence.values) {
          const pivot = asPivot(value, PIVOT_COLUMNS[evidence.name]);
          if (!pivot || pivot.lookup !== kind) continue;
          const key = `${pivot.lookup}|${pivot.value}`;
          if (seen.has(key) || (entity && entity.value === pivot.value)) continue;
          seen.add(key);
          found.push(pivot);
          if (found.length >= MAX_PIVOTS) return found;
        }
      }
    }
  }
  return found;
}

/** The pivots that one device row shows (their indexes in the run's list), for its Look up buttons. */
export function pivotsOf(run: HuntRun, hit: DeviceHit): Array<{ index: number; pivot: LookupPivot }> {
  const pivots = run.pivots ?? [];
  const shown = new Set<string>();
  for (const evidence of hit.evidence) {
    const lookup = PIVOT_COLUMNS[evidence.name];
    if (!lookup) continue;
    for (const value of evidence.values) {
      const pivot = asPivot(value, lookup);
      if (pivot) shown.add(`${pivot.lookup}|${pivot.value}`);
    }
  }
  return pivots.map((pivot, index) => ({ index, pivot })).filter(({ pivot }) => shown.has(`${pivot.lookup}|${pivot.value}`));
}

/**
 * Devices of a run in a stable order (by device id, shown and hidden together): tagging moves a device
 * between the two lists but never changes this order, so a row's index still names the same device.
 */
export function devicesInOrder(run: HuntRun): DeviceHit[] {
  return [...run.hits, ...run.hidden].sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
}

/** The lookup command for a device of the run, or for one of its pivots; undefined for a bad index. */
export function pivotCommand(run: HuntRun, choice: { device?: unknown; entity?: unknown }): string | undefined {
  // The pivot covers the same window as the result it came from.
  const window = run.windowText;
  const device = indexOf(choice.device);
  const entity = indexOf(choice.entity);
  if (device !== undefined) {
    const hit = devicesInOrder(run)[device];
    if (!hit) return undefined;
    const checked = checkArgument('device', hit.deviceId);
    const byName = checkArgument('device', hit.deviceName);
    const value = checked.ok ? checked.argument.value : byName.ok ? byName.argument.value : undefined;
    return value ? `lookup device ${value} ${window}` : undefined;
  }
  if (entity !== undefined) {
    const pivot = run.pivots?.[entity];
    return pivot ? `lookup ${pivot.lookup} ${pivot.value} ${window}` : undefined;
  }
  return undefined;
}

/** A card's index: a small whole number, as a number or (after templating) as digits. */
function indexOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{1,6}$/.test(value)) return Number(value);
  return undefined;
}

function asPivot(value: string, lookup: LookupPivot['lookup']): LookupPivot | undefined {
  if (lookup === 'hash') {
    const checked = checkArgument('hash', value);
    return checked.ok ? { lookup, value: checked.argument.value } : undefined;
  }
  // A remote host may be an address; an address is looked up as one.
  const ip = checkArgument('ip', value);
  if (ip.ok) return { lookup: 'ip', value: ip.argument.value };
  if (lookup === 'ip') return undefined;
  const host = checkArgument('url', value);
  return host.ok ? { lookup: 'domain', value: host.argument.value } : undefined;
}
