import type { Requester } from '../commands/command-spec';
import type { Logger } from '../logging/logger';
import { tagOf } from '../runs/hit-tags';
import type { DeviceHit, HuntRun } from '../runs/hunt-run';
import type { RunRegistry } from '../runs/run-registry';
import { isActive, searchKeyOf, type Exclusion, type ExclusionStore } from '../stores/exclusion-store';
import { cleanDisplayText, cleanName } from '../text/display-text';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { parseTagForm, type TagFormInput } from './tag-form';

export type TagOutcome =
  | { kind: 'saved'; run: HuntRun; hit: DeviceHit }
  | { kind: 'removed'; run: HuntRun; hit: DeviceHit }
  | { kind: 'invalid'; run: HuntRun; hit: DeviceHit; errors: string[] }
  | { kind: 'not-saved'; run: HuntRun; hit: DeviceHit; message: string }
  | { kind: 'stale'; message: string };

/**
 * Tags and untags hits of a rendered run. The run and device are looked up server-side by run id:
 * card data only names them, it never supplies the hunt key, the device's name or who is acting.
 */
export class TagService {
  constructor(
    private readonly store: ExclusionStore,
    private readonly runs: RunRegistry,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async activeTags(huntKey: string): Promise<Exclusion[]> {
    const now = this.now();
    return (await this.store.list(huntKey)).filter((t) => isActive(t, now));
  }

  /** Finds the run and the device on it, or explains why the action is stale or forged. */
  async locate(runId: unknown, deviceId: unknown): Promise<{ run: HuntRun; hit: DeviceHit } | { message: string }> {
    if (typeof runId !== 'string' || typeof deviceId !== 'string') return { message: 'This card action is missing its run or device.' };
    const run = await this.runs.get(runId);
    if (!run) return { message: 'This result is no longer available (the bot keeps recent runs only). Run the hunt again to tag from fresh results.' };
    const hit = run.hits.find((h) => h.deviceId === deviceId) ?? run.hidden.find((h) => h.deviceId === deviceId);
    if (!hit) return { message: 'That device is not part of this result, so it cannot be tagged from this card.' };
    return { run, hit };
  }

  async tag(runId: unknown, deviceId: unknown, input: TagFormInput, actor: Requester): Promise<TagOutcome> {
    const found = await this.locate(runId, deviceId);
    if ('message' in found) return { kind: 'stale', message: found.message };
    const { run, hit } = found;
    const now = this.now();
    const form = parseTagForm(input, run.scenarios, now);
    if (!form.ok) return { kind: 'invalid', run, hit, errors: form.errors };

    const exclusion: Exclusion = {
      searchKey: searchKeyOf(run.huntKey, hit.deviceId),
      huntKey: run.huntKey,
      deviceId: hit.deviceId,
      deviceName: cleanName(hit.deviceName),
      scenario: form.value.scenario.id,
      justification: cleanDisplayText(form.value.justification),
      taggedByUpn: '',
      taggedByAadObjectId: actor.aadObjectId,
      taggedByName: cleanName(actor.name),
      taggedAtUtc: now.toISOString(),
      expiresAtUtc: form.value.expiresAtUtc,
    };
    try {
      const saved = await this.store.upsert(exclusion);
      await this.audit('tag', saved.searchKey, actor, `${saved.scenario}: ${saved.justification}`.slice(0, 600));
      const updated = await this.withTag(run, hit.deviceId, tagOf(saved, run.scenarios));
      return { kind: 'saved', run: updated, hit: findHit(updated, hit.deviceId) };
    } catch (error) {
      const correlationId = newCorrelationId();
      this.logger.warn({ event: 'tag-failed', correlationId, runId: run.runId, searchKey: exclusion.searchKey, err: error }, 'tag not saved');
      return { kind: 'not-saved', run, hit, message: `The tag was NOT saved: ${userErrorText(error)} (correlation id ${correlationId})` };
    }
  }

  async untag(runId: unknown, deviceId: unknown, actor: Requester): Promise<TagOutcome> {
    const found = await this.locate(runId, deviceId);
    if ('message' in found) return { kind: 'stale', message: found.message };
    const { run, hit } = found;
    const searchKey = searchKeyOf(run.huntKey, hit.deviceId);
    try {
      await this.store.remove(searchKey);
      await this.audit('untag', searchKey, actor, '');
      const updated = await this.withTag(run, hit.deviceId, undefined);
      return { kind: 'removed', run: updated, hit: findHit(updated, hit.deviceId) };
    } catch (error) {
      const correlationId = newCorrelationId();
      this.logger.warn({ event: 'untag-failed', correlationId, runId: run.runId, searchKey, err: error }, 'tag not removed');
      return { kind: 'not-saved', run, hit, message: `The tag was NOT removed: ${userErrorText(error)} (correlation id ${correlationId})` };
    }
  }

  /** Removes a tag named by hunt key and device name or id (the `untag` command). */
  async untagDevice(huntKey: string, device: string, actor: Requester): Promise<Exclusion | undefined> {
    const tags = await this.store.list(huntKey);
    const needle = device.toLowerCase();
    const match =
      tags.find((t) => t.deviceId.toLowerCase() === needle) ??
      tags.find((t) => t.deviceName.toLowerCase() === needle) ??
      tags.find((t) => t.deviceName.toLowerCase().split('.')[0] === needle);
    if (!match) return undefined;
    await this.store.remove(match.searchKey);
    await this.audit('untag', match.searchKey, actor, 'by command');
    return match;
  }

  async list(huntKey?: string): Promise<Exclusion[]> {
    return this.store.list(huntKey);
  }

  async audit(action: 'tag' | 'untag' | 'denied', searchKey: string, actor: Requester, detail: string): Promise<void> {
    const entry = {
      action,
      searchKey,
      actorAadObjectId: actor.aadObjectId,
      actorName: cleanName(actor.name),
      actorUpn: '',
      conversationId: actor.conversationId,
      atUtc: this.now().toISOString(),
      detail: cleanDisplayText(detail),
    };
    this.logger.info({ event: 'tag-audit', ...entry }, `${action} ${searchKey}`);
    await this.store.audit(entry);
  }

  /** The stored run with the device's tag set or cleared; concurrent taggers of one card are merged, not lost. */
  private async withTag(run: HuntRun, deviceId: string, tag: DeviceHit['tag']): Promise<HuntRun> {
    const apply = (hits: DeviceHit[]) => hits.map((h) => (h.deviceId === deviceId ? { ...h, tag } : h));
    const updated = await this.runs.update(run.runId, (latest) => ({ ...latest, hits: apply(latest.hits), hidden: apply(latest.hidden) }));
    return updated ?? { ...run, hits: apply(run.hits), hidden: apply(run.hidden) };
  }
}

function findHit(run: HuntRun, deviceId: string): DeviceHit {
  return (run.hits.find((h) => h.deviceId === deviceId) ?? run.hidden.find((h) => h.deviceId === deviceId))!;
}
