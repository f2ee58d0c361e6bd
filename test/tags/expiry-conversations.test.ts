import { TagConversations } from '../../src/tags/expiry-conversations';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { silentLogger } from '../../src/logging/logger';

describe('keeping where tags were made', () => {
  it('keeps each tag under the conversation that saved it last, with that conversation\'s reference', async () => {
    const conversations = new TagConversations(new MemoryStateStore(), silentLogger);
    await conversations.remember('rmm|a', { id: '19:one', tenantId: 't' }, { ref: 1 });
    await conversations.remember('rmm|b', { id: '19:one', tenantId: 't' }, { ref: 2 });
    await conversations.remember('rmm|a', { id: '19:two', tenantId: 't' }, { ref: 3 });
    const all = await conversations.all();
    expect(all.map((c) => [c.conversation.id, c.searchKeys, c.reference])).toEqual([
      ['19:one', ['rmm|b'], { ref: 2 }],
      ['19:two', ['rmm|a'], { ref: 3 }],
    ]);
  });

  it('keeps every tag when many are saved at once in one conversation (ETag-guarded updates)', async () => {
    const conversations = new TagConversations(new MemoryStateStore(), silentLogger);
    await Promise.all(Array.from({ length: 5 }, (_, i) => conversations.remember(`rmm|d${i}`, { id: '19:one', tenantId: 't' }, {})));
    expect((await conversations.all())[0].searchKeys.sort()).toEqual(['rmm|d0', 'rmm|d1', 'rmm|d2', 'rmm|d3', 'rmm|d4']);
  });
});
