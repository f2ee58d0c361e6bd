import type { Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';
import { tagOf } from '../runs/hit-tags';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import type { RunRegistry } from '../runs/run-registry';
import { type AuditEntry, type AuditFilter, type AuditPage, type Exclusion, type ExclusionStore, EVERY_DEVICE, isActive, scopedKeys, searchKeyOf, tagsForHunt } from '../stores/exclusion-store';
import { findHit, withDeviceTag, withoutTag, withTagApplied } from './run-tags';
import { cleanDisplayText, cleanName } from '../text/display-text';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { parseTagForm, type TagFormInput, type TagFormValue } from './tag-form';
import { auditEntryBy } from './audit-entry';
import type { PublishRun, RefreshProblem } from './tag-refresh';
import { RunRefreshQueue } from './run-refresh-queue';


export type TagOutcome =
  /** The store took the write. `run` shows the store's tags; `problems` lists what could not be refreshed. */
  /** `searchKey`: the key the tag was stored under (its scope's key, not always the run's hunt and device). */
  | { kind: 'saved'; run: HuntRun; hit: DeviceHit; searchKey: string; problems: RefreshProblem[] }
  | { kind: 'removed'; run: HuntRun; hit: DeviceHit; problems: RefreshProblem[]; hadTag: boolean }
  | { kind: 'invalid'; run: HuntRun; hit: DeviceHit; errors: string[] }
  | { kind: 'not-saved'; run: HuntRun; hit: DeviceHit; message: string }
  | { kind: 'stale'; message: string };

export type BulkTagOutcome =
  | { kind: 'invalid'; errors: string[] }
  /** `saved`: the tags the store took (each audited); `failed`: devices whose write did not land, and why. */
  | { kind: 'saved'; run: HuntRun; saved: Exclusion[]; failed: Array<{ hit: DeviceHit; message: string }>; problems: RefreshProblem[] };

/**
 * Tags and untags hits of a rendered run. The run and device are looked up server-side by run id:
 * card data only names them, it never supplies the hunt key, the device's name or who is acting.
 * Whether a tag counts as saved is decided by the store write alone (with its audit entry, see
 * ExclusionStore); refreshing the stored run and the shared card afterwards can fail without changing that.
 */
export class TagService {
  private readonly refreshes: RunRefreshQueue;

  constructor(
    private readonly store: ExclusionStore,
    private readonly runs: RunRegistry,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.refreshes = new RunRefreshQueue({ runs: this.runs, activeTags: (huntKey) => this.activeTags(huntKey), logger: this.logger });
  }

  /** Tags not expired, for one hunt key or (without one) for every hunt. */
  async activeTags(huntKey?: string): Promise<Exclusion[]> {
    const now = this.now();
    // Family-wide tags are stored under `<family>/*`, so one hunt's tags are not one store key's.
    const all = huntKey === undefined ? await this.store.list() : tagsForHunt(await this.store.list(), huntKey);
    return all.filter((t) => isActive(t, now));
  }

  /** `found` is a device on a run the card-action guard admitted (permission checked, run loaded once); `publish` replaces the shared card with the run as the store then says. */
  async tag(found: { run: HuntRun; hit: DeviceHit }, input: TagFormInput, actor: Requester, publish?: PublishRun): Promise<TagOutcome> {
    const { run, hit } = found;
    const now = this.now();
    const form = parseTagForm(input, run.scenarios, now);
    if (!form.ok) return { kind: 'invalid', run, hit, errors: form.errors };

    const exclusion = this.exclusionFor(run.huntKey, hit, form.value, actor, now);
    const entry = this.entry('tag', exclusion.searchKey, actor, `${exclusion.scenario}: ${exclusion.justification}`.slice(0, 600));
    let saved: Exclusion;
    try {
      saved = await this.store.upsert(exclusion, entry);
    } catch (error) {
      return { kind: 'not-saved', run, hit, message: `The tag was NOT saved: ${this.notSaved(error, run.runId, exclusion.searchKey)}` };
    }
    this.logger.info({ event: 'tag-audit', ...entry, outcome: 'saved' }, `tag ${entry.searchKey}`);
    const refreshed = await this.refresh(run, (r) => withTagApplied(r, saved, tagOf(saved, run.scenarios)), publish);
    return { kind: 'saved', run: refreshed.run, hit: findHit(refreshed.run, hit.deviceId) ?? hit, searchKey: saved.searchKey, problems: refreshed.problems };
  }

  /**
   * Tags several devices of an admitted run with one scenario and justification ("Tag all on this page"):
   * each device is its own write with its own audit entry, then the run and shared card are refreshed once.
   * Devices already tagged are left as they are. Tool-everywhere makes no sense per device, so it is refused.
   */
  async tagMany(run: HuntRun, hits: readonly DeviceHit[], input: TagFormInput, actor: Requester, publish?: PublishRun): Promise<BulkTagOutcome> {
    const form = parseTagForm(input, run.scenarios, this.now());
    if (!form.ok) return { kind: 'invalid', errors: form.errors };
    if (form.value.scope === 'tool-everywhere') return { kind: 'invalid', errors: ['"This tool on every device" is one tag, not one per device: use Tag benign on any row for it.'] };
    const saved: Exclusion[] = [];
    const failed: Array<{ hit: DeviceHit; message: string }> = [];
    for (const hit of hits) {
      const now = this.now();
      const exclusion = this.exclusionFor(run.huntKey, hit, form.value, actor, now);
      const entry = this.entry('tag', exclusion.searchKey, actor, `${exclusion.scenario}: ${exclusion.justification} (tag all on page)`.slice(0, 600));
      try {
        saved.push(await this.store.upsert(exclusion, entry));
        this.logger.info({ event: 'tag-audit', ...entry, outcome: 'saved' }, `tag ${entry.searchKey}`);
      } catch (error) {
        failed.push({ hit, message: this.notSaved(error, run.runId, exclusion.searchKey) });
      }
    }
    if (saved.length === 0) return { kind: 'saved', run, saved, failed, problems: [] };
    const refreshed = await this.refresh(run, (r) => saved.reduce((acc, tag) => withTagApplied(acc, tag, tagOf(tag, run.scenarios)), r), publish);
    return { kind: 'saved', run: refreshed.run, saved, failed, problems: refreshed.problems };
  }

  /** Removes the tag of an admitted device; `publish` as for tag. */
  async untag(found: { run: HuntRun; hit: DeviceHit }, actor: Requester, publish?: PublishRun): Promise<TagOutcome> {
    const { run, hit } = found;
    // The tag the card showed on this device, at whatever scope it was made (kept on the run server-side).
    const searchKey = hit.tag?.searchKey ?? searchKeyOf(run.huntKey, hit.deviceId);
    const entry = this.entry('untag', searchKey, actor, '');
    let hadTag: boolean;
    try {
      hadTag = await this.store.remove(searchKey, entry);
    } catch (error) {
      const correlationId = newCorrelationId();
      this.logger.warn({ event: 'untag-failed', correlationId, runId: run.runId, searchKey, err: error }, 'tag not removed');
      return { kind: 'not-saved', run, hit, message: `The tag was NOT removed: ${userErrorText(error)} (correlation id ${correlationId})` };
    }
    this.logger.info({ event: 'tag-audit', ...entry, outcome: hadTag ? 'removed' : 'nothing to remove' }, `untag ${searchKey}`);
    const refreshed = await this.refresh(run, (r) => withoutTag(withDeviceTag(r, hit.deviceId, undefined), searchKey), publish);
    return { kind: 'removed', run: refreshed.run, hit: findHit(refreshed.run, hit.deviceId) ?? hit, problems: refreshed.problems, hadTag };
  }

  /** Removes a tag named by hunt key and device name or id (the `untag` command). */
  async untagDevice(huntKey: string, device: string, actor: Requester): Promise<Exclusion | undefined> {
    const tags = tagsForHunt(await this.store.list(), huntKey);
    const needle = device.toLowerCase() === 'everywhere' ? EVERY_DEVICE : device.toLowerCase();
    const match =
      tags.find((t) => t.huntKey === huntKey && t.deviceId.toLowerCase() === needle) ??
      tags.find((t) => t.deviceId.toLowerCase() === needle) ??
      tags.find((t) => t.deviceName.toLowerCase() === needle) ??
      tags.find((t) => t.deviceName.toLowerCase().split('.')[0] === needle);
    if (!match) return undefined;
    const entry = this.entry('untag', match.searchKey, actor, 'by command');
    await this.store.remove(match.searchKey, entry);
    this.logger.info({ event: 'tag-audit', ...entry }, `untag ${match.searchKey}`);
    return match;
  }

  async list(huntKey?: string): Promise<Exclusion[]> {
    return this.store.list(huntKey);
  }

  /** One page of the audit trail, newest first, filtered by the store; undefined when it cannot (then use auditTrail). */
  async auditPage(filter: AuditFilter, offset: number, limit: number): Promise<AuditPage | undefined> {
    return this.store.auditPage ? this.store.auditPage(filter, offset, limit) : undefined;
  }

  /** The audit trail, oldest first; undefined when the store keeps none the bot can read. */
  async auditTrail(): Promise<AuditEntry[] | undefined> {
    return this.store.auditTrail ? this.store.auditTrail() : undefined;
  }

  /** Records an action that wrote nothing (a refusal); writes are audited with the write itself. */
  async audit(action: AuditEntry['action'], searchKey: string, actor: Requester, detail: string): Promise<void> {
    const entry = this.entry(action, searchKey, actor, detail);
    this.logger.info({ event: 'tag-audit', ...entry }, `${action} ${searchKey}`);
    await this.store.audit(entry);
  }

  private entry(action: AuditEntry['action'], searchKey: string, actor: Requester, detail: string): AuditEntry {
    return auditEntryBy(actor, action, searchKey, cleanDisplayText(detail), this.now());
  }

  /** A tag of one device (or every device, by scope) as the form asked for it, by the person who acted. */
  private exclusionFor(huntKey: string, hit: DeviceHit, form: TagFormValue, actor: Requester, now: Date): Exclusion {
    const keys = scopedKeys(huntKey, hit.deviceId, form.scope);
    return {
      ...keys,
      // A tag for every device names none.
      deviceName: keys.deviceId === EVERY_DEVICE ? '' : cleanName(hit.deviceName),
      scenario: form.scenario.id,
      justification: cleanDisplayText(form.justification),
      taggedByUpn: '',
      taggedByAadObjectId: actor.aadObjectId,
      taggedByName: cleanName(actor.name),
      taggedAtUtc: now.toISOString(),
      expiresAtUtc: form.expiresAtUtc,
    };
  }

  /** Logs a write the store refused, under a fresh correlation id, and returns the sentence for the user. */
  private notSaved(error: unknown, runId: string, searchKey: string): string {
    const correlationId = newCorrelationId();
    this.logger.warn({ event: 'tag-failed', correlationId, runId, searchKey, err: error }, 'tag not saved');
    return `${userErrorText(error)} (correlation id ${correlationId})`;
  }

  private refresh(run: HuntRun, withWriteOnly: (run: HuntRun) => HuntRun, publish?: PublishRun) {
    return this.refreshes.refresh(run, withWriteOnly, publish);
  }
}
