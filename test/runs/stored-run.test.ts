import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HuntRun } from '../../src/domain/hunt-run';
import { resultCard } from '../../src/cards/run-cards';
import { RUN_SCHEMA_VERSION, toStoredRun, upgradeStoredRun } from '../../src/runs/stored-run';
import { cardText } from '../support/card-text';

/** A run exactly as the previous release stored it (version 1: no schemaVersion), parsed from its JSON. */
function storedV1(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `stored-run-v1-${name}.json`), 'utf8')) as Record<string, unknown>;
}

describe('reading a run stored by the previous release (version 1, no schemaVersion)', () => {
  it('reads a finished run with every optional field as the same run', () => {
    const stored = storedV1('done');
    expect(upgradeStoredRun(stored)).toEqual(stored);
  });

  it('reads a run stored before the bot recorded its conversation, still without one (its buttons then ask for a fresh run)', () => {
    const upgraded = upgradeStoredRun(storedV1('before-conversation'));
    expect(upgraded).toEqual(storedV1('before-conversation'));
    expect(upgraded).not.toHaveProperty('conversation');
  });

  it('reads a running run without a finish time or failure', () => {
    const upgraded = upgradeStoredRun(storedV1('running'));
    expect(upgraded).toEqual(storedV1('running'));
    expect(upgraded).not.toHaveProperty('finishedAt');
    expect(upgraded).not.toHaveProperty('failure');
  });

  it('reads a failed run with its failure', () => {
    const upgraded = upgradeStoredRun(storedV1('failed'));
    expect(upgraded).toEqual(storedV1('failed'));
    expect(upgraded?.status === 'failed' && upgraded.failure.kind).toBe('throttled');
  });

  it("gives a failed run stored without its failure the failure the card used to show for it", () => {
    const { failure: _failure, ...stored } = storedV1('failed');
    expect(upgradeStoredRun(stored)).toMatchObject({
      status: 'failed',
      failure: { kind: 'internal', message: 'The hunt failed.', advice: 'Run it again.', detail: '' },
    });
  });

  it('takes the start time as the finish time of a finished run stored without one, as the card did', () => {
    const { finishedAt: _finishedAt, ...stored } = storedV1('done');
    expect(upgradeStoredRun(stored)).toMatchObject({ status: 'done', finishedAt: stored.startedAt });
  });

  it('drops a finish time or failure stored on a run that is still running', () => {
    const stored = { ...storedV1('running'), finishedAt: '2026-11-28T10:16:00.000Z', failure: storedV1('failed').failure };
    const upgraded = upgradeStoredRun(stored);
    expect(upgraded?.status).toBe('running');
    expect(upgraded).not.toHaveProperty('finishedAt');
    expect(upgraded).not.toHaveProperty('failure');
  });

  it('drops a failure stored on a run that finished', () => {
    expect(upgradeStoredRun({ ...storedV1('done'), failure: storedV1('failed').failure })).not.toHaveProperty('failure');
  });

  it('renders the cards it rendered before: devices, tags, hidden devices, reuse age, failure', () => {
    const done = cardText(resultCard(upgradeStoredRun(storedV1('done'))!));
    expect(done).toContain('fin-ws-001.contoso.local');
    expect(done).toContain('Benign: Backup job execution — Bob');
    expect(done).toContain('1 device hidden as benign');
    expect(done).toContain('Reused a result from 16 s ago');
    expect(cardText(resultCard(upgradeStoredRun(storedV1('failed'))!))).toContain('The workspace is throttling queries (429).');
    const { failure: _failure, ...withoutFailure } = storedV1('failed');
    expect(cardText(resultCard(upgradeStoredRun(withoutFailure)!))).toContain('The hunt failed.');
  });

  it('reads an explicit schemaVersion 1 like a missing one', () => {
    expect(upgradeStoredRun({ ...storedV1('done'), schemaVersion: 1 })).toEqual(storedV1('done'));
  });
});

describe('the stored form of a run', () => {
  const runs = ['done', 'before-conversation', 'running', 'failed'].map((name) => upgradeStoredRun(storedV1(name)) as HuntRun);

  it('carries the current schema version, 2', () => {
    expect(RUN_SCHEMA_VERSION).toBe(2);
    for (const run of runs) expect(toStoredRun(run)).toEqual({ schemaVersion: 2, ...run });
  });

  it('reads back as the run that was written, through JSON', () => {
    for (const run of runs) expect(upgradeStoredRun(JSON.parse(JSON.stringify(toStoredRun(run))))).toEqual(run);
  });
});

describe('a stored run this release cannot read is no longer available (undefined), never an error', () => {
  it.each([
    ['a newer release wrote it (version 3)', { ...storedV1('done'), schemaVersion: 3 }],
    ['its version is not a number', { ...storedV1('done'), schemaVersion: '2' }],
    ['a finished run has neither finish nor start time', (({ finishedAt: _f, startedAt: _s, ...rest }) => rest)(storedV1('done'))],
  ])('%s', (_label, stored) => {
    expect(upgradeStoredRun(stored)).toBeUndefined();
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['text', '{"runId":"r"}'],
    ['a list', [storedV1('done')]],
    ['no run id', (({ runId: _r, ...rest }) => rest)(storedV1('done'))],
    ['an unknown status', { ...storedV1('done'), status: 'paused' }],
    ['hits that are not a list', { ...storedV1('done'), hits: {} }],
    ['no hidden hits list', (({ hidden: _h, ...rest }) => rest)(storedV1('done'))],
    ['no queries list', (({ queries: _q, ...rest }) => rest)(storedV1('done'))],
  ])('not a run: %s', (_label, stored) => {
    expect(upgradeStoredRun(stored)).toBeUndefined();
  });
});
