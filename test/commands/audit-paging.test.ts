import { auditCommand, AUDIT_PER_PAGE } from '../../src/commands/audit-command';
import type { CommandReply } from '../../src/commands/command-reply';
import { tokenize } from '../../src/commands/command-text';
import type { Requester } from '../../src/domain/requester';
import { silentLogger } from '../../src/logging/logger';
import { RunRegistry } from '../../src/runs/run-registry';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { searchKeyOf, type AuditEntry, type ExclusionStore } from '../../src/stores/exclusion-store';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { TagService } from '../../src/tags/tag-service';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const NOW = new Date('2026-12-03T12:00:00.000Z');
const requester: Requester = { id: '29:a', name: 'Alice', aadObjectId: 'a-1', tenantId: 't-1', conversationId: 'c-1' };
const ROWS = 20_000;
const HUNT_KEYS = ['rmm/desktopnow', 'rmm/anydesk', 'lookup/hash:ab12', 'sentinel/rare-process'];
const DEVICES = ['dev-a', 'DEV-A', 'dev-b', 'Host:ws-001.contoso.local', 'dev_c', 'dev%d'];

/** The same SQLite store seen two ways: with its paged, filtered audit query, and (like a store without one) whole-trail only. */
function views(store: SqliteExclusionStore): { paged: ExclusionStore; wholeTrail: ExclusionStore } {
  const base = {
    name: store.name,
    upsert: store.upsert.bind(store),
    remove: store.remove.bind(store),
    list: store.list.bind(store),
    audit: store.audit.bind(store),
  };
  return {
    // Proves the paged path never reads the whole trail.
    paged: { ...base, auditPage: store.auditPage.bind(store), auditTrail: () => Promise.reject(new Error('the whole trail was read')) },
    wholeTrail: { ...base, auditTrail: () => store.auditTrail() },
  };
}

describe('audit over a large trail', () => {
  const store = new SqliteExclusionStore(':memory:');
  const { paged, wholeTrail } = views(store);
  const runs = new RunRegistry(new MemoryStateStore());
  const inSql = auditCommand(catalog, new TagService(paged, runs, silentLogger), () => NOW);
  const inMemory = auditCommand(catalog, new TagService(wholeTrail, runs, silentLogger), () => NOW);
  const ask = async (command: typeof inSql, text: string): Promise<CommandReply> => {
    const raw = tokenize(text).slice(1);
    return command.handle({ raw, words: raw.map((w) => w.toLowerCase()) }, requester);
  };

  beforeAll(async () => {
    await store.upsert({
      searchKey: searchKeyOf('rmm/desktopnow', 'dev-b'), huntKey: 'rmm/desktopnow', deviceId: 'dev-b', deviceName: 'fin-ws-001.contoso.local', scenario: 'backup-job',
      justification: '', taggedByUpn: '', taggedByAadObjectId: 'b-1', taggedByName: 'Bob', taggedAtUtc: NOW.toISOString(), expiresAtUtc: '',
    });
    for (let i = 0; i < ROWS; i++) {
      const entry: AuditEntry = {
        action: (['tag', 'untag', 'denied', 'bookmark', 'incident'] as const)[i % 5],
        searchKey: searchKeyOf(HUNT_KEYS[i % HUNT_KEYS.length], DEVICES[(i * 7) % DEVICES.length]),
        actorAadObjectId: `actor-${i % 13}`,
        actorName: `Responder ${i % 13}`,
        actorUpn: '',
        conversationId: 'c-1',
        atUtc: new Date(NOW.getTime() - (ROWS - i) * 60_000).toISOString(),
        detail: `entry ${i}`,
      };
      await store.audit(entry);
    }
  }, 120_000);

  test.each([
    'audit',
    'audit page 2',
    'audit page 9999',
    'audit rmm desktopnow',
    'audit rmm desktopnow page 40',
    'audit rmm',
    'audit lookup',
    'audit dev-a',
    'audit DEV-A since 3d',
    'audit fin-ws-001',
    'audit fin-ws-001.contoso.local page 3',
    'audit Host:ws-001.contoso.local',
    'audit dev_c',
    'audit dev%d page 2',
    'audit dev',
    'audit rmm desktopnow dev-b since 2026-11-30',
    'audit since 12h',
  ])('`%s` answers exactly as filtering the whole trail in memory did', async (text) => {
    const expected = await ask(inMemory, text);
    expect(await ask(inSql, text)).toEqual(expected);
  });

  test('a page is filtered and cut by SQLite: 15 newest matching entries, quickly (timing on a loaded machine is indicative)', async () => {
    const started = Date.now();
    const reply = await ask(inSql, 'audit rmm desktopnow dev-a page 2');
    const elapsed = Date.now() - started;
    expect(reply.kind).toBe('card');
    const entries = JSON.stringify(reply).match(/entry \d+/g) ?? [];
    expect(entries).toHaveLength(AUDIT_PER_PAGE);
    expect(elapsed).toBeLessThan(2_000);
  });
});
