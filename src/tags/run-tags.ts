import { tagOf } from '../runs/hit-tags';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import { EVERY_DEVICE, tagFor, type Exclusion } from '../stores/exclusion-store';

/** The run with every device's tag as the store holds it now (`tags`: the hunt's active tags). */
export function withStoreTags(run: HuntRun, tags: readonly Exclusion[]): HuntRun {
  const byKey = new Map(tags.map((t) => [t.searchKey, t]));
  const apply = (hits: DeviceHit[]) =>
    hits.map((h) => {
      const tag = tagFor(byKey, run.huntKey, h.deviceId);
      return setTag(h, tag ? tagOf(tag, run.scenarios) : undefined);
    });
  return { ...run, hits: apply(run.hits), hidden: apply(run.hidden) };
}

/** The run with one device's tag set or cleared: what is known when the store cannot be read back. */
export function withDeviceTag(run: HuntRun, deviceId: string, tag: DeviceHit['tag']): HuntRun {
  const apply = (hits: DeviceHit[]) => hits.map((h) => (h.deviceId === deviceId ? setTag(h, tag) : h));
  return { ...run, hits: apply(run.hits), hidden: apply(run.hidden) };
}

/** True when both runs show the same tags on the same devices. */
/** The run with a just-saved tag applied wherever it reaches: its device, or (for every device) each device without a tag. */
export function withTagApplied(run: HuntRun, saved: Exclusion, tag: DeviceHit['tag']): HuntRun {
  const everywhere = saved.deviceId === EVERY_DEVICE;
  const apply = (hits: DeviceHit[]) => hits.map((h) => ((everywhere ? !h.tag : h.deviceId === saved.deviceId) ? setTag(h, tag) : h));
  return { ...run, hits: apply(run.hits), hidden: apply(run.hidden) };
}

/** The run with every device's tag of this SearchKey cleared. */
export function withoutTag(run: HuntRun, searchKey: string): HuntRun {
  const apply = (hits: DeviceHit[]) => hits.map((h) => (h.tag?.searchKey === searchKey ? setTag(h, undefined) : h));
  return { ...run, hits: apply(run.hits), hidden: apply(run.hidden) };
}

export function sameTags(a: HuntRun, b: HuntRun): boolean {
  return tagsOf(a) === tagsOf(b);
}

/** A comparable form of a set of stored tags (store listings need not be ordered). */
export function tagsFingerprint(tags: readonly Exclusion[]): string {
  return JSON.stringify([...tags].sort((x, y) => x.searchKey.localeCompare(y.searchKey)));
}

export function findHit(run: HuntRun, deviceId: string): DeviceHit | undefined {
  return run.hits.find((h) => h.deviceId === deviceId) ?? run.hidden.find((h) => h.deviceId === deviceId);
}

function setTag(hit: DeviceHit, tag: DeviceHit['tag']): DeviceHit {
  if (tag) return { ...hit, tag };
  const { tag: _removed, ...untagged } = hit;
  return untagged;
}

function tagsOf(run: HuntRun): string {
  return JSON.stringify([...run.hits, ...run.hidden].map((h) => [h.deviceId, h.tag ?? null]));
}
