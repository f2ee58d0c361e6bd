import { exclusionsCommand } from '../../src/commands/exclusions-command';
import type { CommandReply } from '../../src/commands/command-reply';
import type { Requester } from '../../src/domain/requester';
import { silentLogger } from '../../src/logging/logger';
import { RunRegistry } from '../../src/runs/run-registry';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { searchKeyOf, type Exclusion } from '../../src/stores/exclusion-store';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { TagService } from '../../src/tags/tag-service';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';
import { cardText } from '../support/card-text';

const catalog = catalogWithoutAnalysis();
const NOW = new Date('2026-11-28T03:00:00Z');
const requester: Requester = { id: '29:a', name: 'Alice', aadObjectId: 'a-1', tenantId: 't-1', conversationId: 'c-1' };

function tag(huntKey: string, deviceId: string, scenario: string, at: string): Exclusion {
  return {
    searchKey: searchKeyOf(huntKey, deviceId),
    huntKey,
    deviceId,
    deviceName: `${deviceId}.contoso.local`,
    scenario,
    justification: '',
    taggedByUpn: 'bob@contoso.com',
    taggedByAadObjectId: 'b-1',
    taggedByName: 'Bob',
    taggedAtUtc: at,
    expiresAtUtc: '',
  };
}

describe('the exclusions command', () => {
  const store = new SqliteExclusionStore(':memory:');
  const command = exclusionsCommand(catalog, new TagService(store, new RunRegistry(new MemoryStateStore()), silentLogger), () => NOW);
  const ask = async (...words: string[]): Promise<CommandReply> => command.handle({ words, raw: words }, requester);
  const text = (reply: CommandReply) => (reply.kind === 'card' ? cardText(reply.card) : reply.kind === 'text' ? reply.text : reply.kind);

  beforeAll(async () => {
    await store.upsert(tag('rmm/desktopnow', 'dev-a', 'backup-job', '2026-11-27T10:00:00Z'));
    await store.upsert(tag('rmm/anydesk', 'dev-b', 'remote-desktop', '2026-11-27T11:00:00Z'));
    await store.upsert(tag('rmm/anydesk', 'dev-c', 'retired-scenario', '2026-11-27T12:00:00Z'));
  });
  afterAll(() => store.close());

  it("shows each tag's scenario by its title, not its id", async () => {
    const listing = text(await ask('rmm', 'desktopnow'));
    expect(listing).toContain('Backup job execution — Bob');
    expect(listing).not.toContain('backup-job');
  });

  it('shows the id of a scenario no hunt offers any more, rather than nothing', async () => {
    expect(text(await ask('rmm', 'anydesk'))).toContain('retired-scenario — Bob');
  });

  it("lists every tag of a family when given the family alone, each with its hunt", async () => {
    const reply = await ask('rmm');
    expect(reply.kind).toBe('card');
    const listing = text(reply);
    expect(listing).toContain('Benign tags for rmm');
    for (const device of ['dev-a', 'dev-b', 'dev-c']) expect(listing).toContain(`${device}.contoso.local`);
    expect(listing).toContain('rmm/anydesk');
    expect(listing).toContain('Remote desktop session by an admin — Bob');
    expect(reply.kind === 'card' && reply.summary).toBe('3 benign tags');
  });

  it('lists only that tool when given family and tool, and counts in the singular for one', async () => {
    const reply = await ask('rmm', 'desktopnow');
    expect(text(reply)).not.toContain('dev-b.contoso.local');
    expect(reply.kind === 'card' && reply.summary).toBe('1 benign tag');
  });

  it('answers an unknown family with the families and a suggestion', async () => {
    const reply = await ask('rmn');
    expect(reply.kind).toBe('text');
    expect(text(reply)).toContain('There is no hunt family "rmn"');
    expect(text(reply)).toContain('Did you mean rmm?');
  });

  it('gives its usage, family-only form included, for too many words', async () => {
    expect(text(await ask('rmm', 'desktopnow', 'extra'))).toContain('`exclusions <family>`');
  });

  it('documents the family-only form in its usage and examples (the help card and manifest show them)', () => {
    expect(command.usage).toBe('exclusions [<family> [<tool>]]');
    expect(command.examples).toContain('exclusions rmm');
  });
});
