import { Writable } from 'node:stream';
import { CardActionGuard, type CardActionAccess } from '../../src/actions/card-action-guard';
import { CardActionRouter, type AdmittedAction, type RefusedAction } from '../../src/actions/card-action-router';
import { AuthorizationPolicy } from '../../src/auth/authorization-policy';
import type { Requester } from '../../src/domain/requester';
import { createLogger } from '../../src/logging/logger';
import type { DoneHuntRun, HuntRunFields } from '../../src/domain/hunt-run';
import { RunRegistry } from '../../src/runs/run-registry';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { stillRunning } from '../support/run-fixtures';
import { finishedRun } from '../support/run-fixtures';

const TENANT = 'tenant-a';
const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:channel@thread.tacv2';
const TAGGER = 'aad-tagger';

const person = (aadObjectId: string, where: Partial<Requester> = {}): Requester => ({
  id: `29:${aadObjectId}`,
  aadObjectId,
  name: aadObjectId,
  tenantId: TENANT,
  conversationId: CHANNEL,
  teamId: TEAM,
  ...where,
});
const tagger = person(TAGGER);
const member = person('aad-member');

/** Run state that counts reads, to show a refused reader costs none. */
class CountingStateStore extends MemoryStateStore {
  reads = 0;
  override async read<T>(key: string) {
    this.reads++;
    return super.read<T>(key);
  }
}

function storedRun(runId: string, changes: Partial<HuntRunFields> = {}): DoneHuntRun {
  return finishedRun({
    runId,
    correlationId: `corr-${runId}`,
    windowStart: '2024-01-01T00:00:00.000Z',
    windowEnd: '2024-01-06T00:00:00.000Z',
    backend: 'local',
    backendDescription: 'local data',
    requestedBy: { id: member.id, name: member.name, aadObjectId: member.aadObjectId },
    conversation: { id: CHANNEL, tenantId: TENANT },
    startedAt: '2024-01-06T00:00:00.000Z',
    finishedAt: '2024-01-06T00:00:02.000Z',
    ...changes,
  });
}

describe('the card-action guard', () => {
  const logLines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    'warn',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  const state = new CountingStateStore();
  const registry = new RunRegistry(state);
  const policy = new AuthorizationPolicy({ allowedTenants: [TENANT], allowedTeams: [TEAM], taggers: [TAGGER] }, logger);
  const handled: AdmittedAction[] = [];
  const refused: RefusedAction[] = [];
  const router = new CardActionRouter(new CardActionGuard(policy, registry, logger), logger);
  const verb = (access: CardActionAccess, doing: string) => ({
    access,
    doing,
    handle: async (action: AdmittedAction) => {
      handled.push(action);
      return { forClicker: { message: `done: ${action.run.runId}` } };
    },
    onRefused: async (refusal: RefusedAction) => {
      refused.push(refusal);
    },
  });
  router.on('tag', verb('tag', 'tag hits')).on('read', verb('hunt', 'see hunt results')).on('cancel', verb('requester', 'cancel hunts'));

  beforeAll(async () => {
    await registry.save(stillRunning(storedRun('run-running')));
    await registry.save(storedRun('run-done'));
    await registry.save(storedRun('run-elsewhere', { conversation: { id: '19:other-channel@thread.tacv2', tenantId: TENANT } }));
    await registry.save(storedRun('run-other-tenant', { conversation: { id: CHANNEL, tenantId: 'tenant-b' } }));
    await registry.save(storedRun('run-in-thread', { conversation: { id: `${CHANNEL};messageid=1700000000000`, tenantId: TENANT } }));
    const { conversation: _none, ...legacy } = storedRun('run-legacy');
    await registry.save(legacy);
    // As the previous release stored them (schema version 1, no schemaVersion), and as a newer release might.
    await state.write('runs/run-v1', storedRun('run-v1'));
    await state.write('runs/run-v1-legacy', legacy);
    await state.write('runs/run-newer', { ...storedRun('run-newer'), schemaVersion: 3 });
  });

  beforeEach(() => {
    handled.length = 0;
    refused.length = 0;
    logLines.length = 0;
  });

  const reply = async (name: string, runId: unknown, who: Requester) => {
    const result = await router.dispatch(name, { runId, deviceId: 'dev-a' }, who);
    return 'message' in result.forClicker ? result.forClicker.message : JSON.stringify(result.forClicker);
  };

  it('hands an admitted action the stored run, loaded once, with the person from the activity', async () => {
    expect(await reply('tag', 'run-done', tagger)).toBe('done: run-done');
    expect(handled).toHaveLength(1);
    expect(handled[0].run).toEqual(storedRun('run-done'));
    expect(handled[0].actor).toBe(tagger);
  });

  it.each(['run-running', 'run-done', 'run-gone'])('refuses a non-tagger on %s before any handler runs, and audits it', async (runId) => {
    expect(await reply('tag', runId, member)).toBe("Sorry, you can't tag hits here: only the configured taggers may tag or untag hits (HUNT_TAGGERS).");
    expect(handled).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor: member, runId, reason: expect.stringContaining('HUNT_TAGGERS') });
    expect(refused[0].run?.runId).toBe(runId === 'run-gone' ? undefined : runId);
    expect(logLines).toEqual([expect.objectContaining({ event: 'denied', permission: 'tag', user: 'aad-member' })]);
  });

  it.each([
    ['another tenant', person('aad-x', { tenantId: 'tenant-b' }), 'tenant'],
    ['another team', person('aad-x', { teamId: '19:other-team@thread.tacv2' }), 'allowed teams'],
    ['a 1:1 chat', person('aad-x', { teamId: undefined, conversationId: 'a:1on1' }), 'not in chats'],
  ])('refuses reading a result from %s without reading the run', async (_label, outsider, why) => {
    const readsBefore = state.reads;
    const text = await reply('read', 'run-done', outsider);
    expect(text).toMatch(/^Sorry, you can't see hunt results here: /);
    expect(text).toContain(why);
    expect(handled).toEqual([]);
    expect(state.reads).toBe(readsBefore);
  });

  it('refuses a run of another conversation, or of another tenant, and logs why', async () => {
    for (const runId of ['run-elsewhere', 'run-other-tenant']) {
      expect(await reply('read', runId, tagger)).toContain("belongs to another conversation's hunt");
    }
    expect(handled).toEqual([]);
    expect(refused.map((r) => [r.runId, r.reason])).toEqual([
      ['run-elsewhere', 'run-from-another-conversation'],
      ['run-other-tenant', 'run-from-another-conversation'],
    ]);
    expect(logLines.map((l) => [l.event, l.reason, l.runId])).toEqual([
      ['denied', 'run-from-another-conversation', 'run-elsewhere'],
      ['denied', 'run-from-another-conversation', 'run-other-tenant'],
    ]);
  });

  it('treats two threads of one channel as the same conversation', async () => {
    expect(await reply('read', 'run-in-thread', person('aad-x', { conversationId: `${CHANNEL};messageid=1700000000999` }))).toBe('done: run-in-thread');
  });

  it('refuses a run stored without its conversation, asking for a fresh run', async () => {
    expect(await reply('read', 'run-legacy', tagger)).toMatch(/buttons no longer work\. Run the hunt again\.$/);
    expect(handled).toEqual([]);
    expect(refused.map((r) => r.reason)).toEqual(['run-without-conversation']);
  });

  it('admits a run stored by the previous release, and refuses one of those stored without its conversation', async () => {
    expect(await reply('read', 'run-v1', tagger)).toBe('done: run-v1');
    expect(handled[0].run).toEqual(storedRun('run-v1'));
    expect(await reply('read', 'run-v1-legacy', tagger)).toMatch(/buttons no longer work\. Run the hunt again\.$/);
    expect(refused.map((r) => r.reason)).toEqual(['run-without-conversation']);
  });

  it('says a run stored by a newer release is no longer available', async () => {
    expect(await reply('read', 'run-newer', tagger)).toContain('no longer available');
    expect(handled).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('lets only the person who started a run use a requester-only verb', async () => {
    expect(await reply('cancel', 'run-running', tagger)).toBe('Only the person who started this hunt may do that.');
    expect(await reply('cancel', 'run-running', member)).toBe('done: run-running');
    expect(handled.map((a) => a.actor)).toEqual([member]);
  });

  it('says a run is gone or missing without calling the handler or auditing a refusal', async () => {
    expect(await reply('read', 'run-gone', tagger)).toContain('no longer available');
    expect(await reply('read', undefined, tagger)).toBe('This card action is missing its run.');
    expect(await reply('read', '../runs/run-done', tagger)).toContain('no longer available');
    expect(handled).toEqual([]);
    expect(refused).toEqual([]);
  });

  it('refuses an unknown verb, and will not register a verb without a permission', async () => {
    const unknown = await router.dispatch('hit.delete', { runId: 'run-done' }, tagger);
    expect(unknown.forClicker).toEqual({ error: 'Unknown card action "hit.delete".' });
    const undeclared = { ...verb('hunt', 'see'), access: undefined as unknown as CardActionAccess };
    expect(() => router.on('undeclared', undeclared)).toThrow('card action "undeclared" declares no permission');
    expect(() => router.on('anyone', { ...verb('hunt', 'see'), access: 'anyone' as CardActionAccess })).toThrow('declares no permission');
  });

  it('refuses at admission a verb whose permission is not one it knows', async () => {
    const guard = new CardActionGuard(policy, registry, logger);
    const admission = await guard.admit({ access: 'anyone' as CardActionAccess, doing: 'see' }, tagger, 'run-done');
    expect(admission).toMatchObject({ admitted: false, refusal: { reason: 'verb-without-permission' } });
  });

  it('answers every refusal to the clicker alone, without running a handler', async () => {
    const results = await Promise.all([
      router.dispatch('tag', { runId: 'run-done' }, member),
      router.dispatch('read', { runId: 'run-elsewhere' }, tagger),
      router.dispatch('read', { runId: 'run-legacy' }, tagger),
      router.dispatch('cancel', { runId: 'run-done' }, tagger),
    ]);
    // Marked refused, so a late one is not posted to the conversation either (hunt-bot.ts finishLate); no command, no outcome.
    for (const result of results) expect(result).toEqual({ forClicker: { message: expect.any(String) }, refused: true });
    expect(handled).toEqual([]);
  });
});
