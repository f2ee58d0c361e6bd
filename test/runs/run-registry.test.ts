import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemoryStorage } from 'botbuilder';
import { StorageStateStore } from '../../src/bot/storage-state-store';
import type { HuntRun } from '../../src/domain/hunt-run';
import { RunRegistry } from '../../src/runs/run-registry';
import { upgradeStoredRun } from '../../src/runs/stored-run';
import { MemoryStateStore } from '../../src/state/memory-state-store';

/** A run exactly as the previous release stored it (version 1), parsed from its JSON. */
function storedV1(name: string): Record<string, unknown> & { runId: string } {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `stored-run-v1-${name}.json`), 'utf8')) as Record<string, unknown> & { runId: string };
}

const withNote = (run: HuntRun): HuntRun => ({ ...run, warnings: [...(run.warnings ?? []), 'noted'] });

describe('RunRegistry across releases', () => {
  let state: MemoryStateStore;
  let registry: RunRegistry;

  beforeEach(() => {
    state = new MemoryStateStore();
    registry = new RunRegistry(state);
  });

  it('writes every run in the current version', async () => {
    const run = upgradeStoredRun(storedV1('done'))!;
    await registry.save(run);
    await expect(state.read(`runs/${run.runId}`)).resolves.toMatchObject({ value: { schemaVersion: 2, runId: run.runId } });
    await expect(registry.get(run.runId)).resolves.toEqual(run);
  });

  it('reads a run the previous release stored', async () => {
    const stored = storedV1('before-conversation');
    await state.write(`runs/${stored.runId}`, stored);
    await expect(registry.get(stored.runId)).resolves.toEqual(stored);
  });

  it('updates a run the previous release stored, and writes it back in the current version', async () => {
    const stored = storedV1('done');
    await state.write(`runs/${stored.runId}`, stored);
    const updated = await registry.update(stored.runId, withNote);
    expect(updated?.warnings).toContain('noted');
    await expect(state.read(`runs/${stored.runId}`)).resolves.toMatchObject({ value: { schemaVersion: 2, warnings: expect.arrayContaining(['noted']) } });
  });

  it('treats a run a newer release stored as no longer available, and leaves it as it is', async () => {
    const newer = { ...storedV1('done'), schemaVersion: 3 };
    await state.write(`runs/${newer.runId}`, newer);
    await expect(registry.get(newer.runId)).resolves.toBeUndefined();
    await expect(registry.update(newer.runId, withNote)).resolves.toBeUndefined();
    await expect(state.read(`runs/${newer.runId}`)).resolves.toMatchObject({ value: newer });
  });

  it('treats stored state it cannot read at all as no longer available', async () => {
    const storage = new MemoryStorage();
    // What a foreign writer (or a damaged blob) leaves: not the envelope StorageStateStore writes.
    await storage.write({ 'runs/damaged': { runId: 'damaged', status: 'done', eTag: '*' } });
    const overStorage = new RunRegistry(new StorageStateStore(storage));
    await expect(overStorage.get('damaged')).resolves.toBeUndefined();
    await expect(overStorage.update('damaged', withNote)).resolves.toBeUndefined();
  });

  it('treats a missing run as no longer available', async () => {
    await expect(registry.get('no-such-run')).resolves.toBeUndefined();
    await expect(registry.update('no-such-run', withNote)).resolves.toBeUndefined();
  });
});
