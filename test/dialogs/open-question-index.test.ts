import { MemoryStorage, PrivateConversationState, TestAdapter, type Activity, type StoreItems, type TurnContext } from 'botbuilder';
import { CommandRegistry } from '../../src/commands/command-registry';
import { helpCommand } from '../../src/commands/help-command';
import { huntCommand } from '../../src/commands/hunt-command';
import { HuntPrompts, PROMPT_TIMEOUT_MS, type PromptTurn } from '../../src/dialogs/hunt-prompts';
import type { HuntPromptState } from '../../src/domain/hunt-request';
import { HuntCatalog } from '../../src/hunts/catalog';
import { loadHuntFile } from '../../src/hunts/hunt-file';
import { huntFileText } from '../hunts/hunt-fixtures';

const alice = { id: '29:alice', name: 'Alice' };
const bob = { id: '29:bob', name: 'Bob' };

/** The Bot Framework's MemoryStorage, counting the reads the prompt state makes of it. */
class CountingStorage extends MemoryStorage {
  reads = 0;
  override async read(keys: string[]): Promise<StoreItems> {
    this.reads++;
    return super.read(keys);
  }
}

function oneToolCatalog(): HuntCatalog {
  const loaded = loadHuntFile(huntFileText(), 'test', { defaultScenarios: [], checkQuery: () => [], withExclusionFilter: false });
  if (!loaded.ok) throw new Error(loaded.reason);
  return HuntCatalog.fromHunts([loaded.hunt]);
}

/** The prompts over the test adapter, saving the state after every turn as the bot does; counts the state reads. */
function promptsInConversations() {
  const catalog = oneToolCatalog();
  const registry = new CommandRegistry().register(huntCommand(catalog));
  registry.register(helpCommand(() => registry.specs()));
  const storage = new CountingStorage();
  const state = new PrivateConversationState(storage);
  let clock = Date.parse('2026-12-01T09:00:00Z');
  const prompts = new HuntPrompts({ catalog, state, commands: () => registry.specs(), now: () => clock });
  const adapter = new TestAdapter(async () => undefined);

  const turn = async (activity: Partial<Activity>, run: (context: TurnContext) => Promise<PromptTurn>, fails = false) => {
    let outcome: PromptTurn | undefined;
    const readsBefore = storage.reads;
    await adapter.processActivity({ type: 'message', ...activity }, async (context) => {
      outcome = await run(context);
      // As the bot does when handling the command throws: the state is not saved.
      if (fails) prompts.turnNotSaved(context);
      else await state.saveChanges(context);
    });
    const replies = adapter.activeQueue.splice(0).map((reply) => reply.text ?? '(card)');
    return { outcome: outcome!, replies, stateReads: storage.reads - readsBefore };
  };
  const where = (conversation: string) => ({ id: conversation });
  return {
    ask: (missing: HuntPromptState, from = alice, conversation = 'c1') =>
      turn({ text: 'hunt', from, conversation: where(conversation) as Activity['conversation'] }, (context) => prompts.ask(context, missing)),
    say: (text: string, from = alice, conversation = 'c1') =>
      turn({ text, from, conversation: where(conversation) as Activity['conversation'] }, (context) => prompts.receive(context)),
    /** The user types a message, and the turn fails after the prompt saw it (its state is not saved). */
    sayInFailingTurn: (text: string, from = alice) => turn({ text, from, conversation: where('c1') as Activity['conversation'] }, (context) => prompts.receive(context), true),
    wait: (ms: number) => {
      clock += ms;
    },
  };
}

describe('a message from someone with no open question', () => {
  it('is handed back as a command without reading the prompt state', async () => {
    const chat = promptsInConversations();
    const turn = await chat.say('hunt rmm contosoremote 5d');
    expect(turn.outcome).toEqual({ kind: 'command', text: 'hunt rmm contosoremote 5d' });
    expect(turn.stateReads).toBe(0);
  });

  it('still hears that there is nothing to cancel, without reading the prompt state', async () => {
    const chat = promptsInConversations();
    const turn = await chat.say('cancel');
    expect(turn).toEqual({ outcome: { kind: 'done' }, replies: ['There is nothing to cancel.'], stateReads: 0 });
  });

  it('reads no state while another person, or the same person in another conversation, has a question open', async () => {
    const chat = promptsInConversations();
    await chat.ask({ family: 'rmm' });
    expect((await chat.say('help', bob)).stateReads).toBe(0);
    expect((await chat.say('help', alice, 'c2')).stateReads).toBe(0);
    // The question is still Alice's, in the first conversation.
    const answer = await chat.say('contosoremote');
    expect(answer.replies[0]).toBe('(card)');
    expect(answer.stateReads).toBe(1);
  });
});

describe('the open question itself', () => {
  it('is read from the state on every message while it is open, and no longer once it is answered', async () => {
    const chat = promptsInConversations();
    await chat.ask({ family: 'rmm', tool: 'contosoremote' });
    const answered = await chat.say('5d');
    expect(answered.outcome).toEqual({ kind: 'command', text: 'hunt rmm contosoremote 5d' });
    expect(answered.stateReads).toBe(1);
    expect((await chat.say('help')).stateReads).toBe(0);
  });

  it('is no longer read once cancelled, or replaced by a command that asks nothing', async () => {
    const chat = promptsInConversations();
    await chat.ask({ family: 'rmm' });
    expect((await chat.say('cancel')).replies).toEqual(['Cancelled.']);
    expect((await chat.say('cancel')).stateReads).toBe(0);

    await chat.ask({ family: 'rmm' });
    expect((await chat.say('help')).outcome).toEqual({ kind: 'command', text: 'help' });
    expect((await chat.say('help')).stateReads).toBe(0);
  });

  it('is dropped on the first message after five minutes, and not read after that', async () => {
    const chat = promptsInConversations();
    await chat.ask({ family: 'rmm' });
    chat.wait(PROMPT_TIMEOUT_MS + 1);
    const late = await chat.say('contosoremote');
    expect(late).toEqual({ outcome: { kind: 'command', text: 'contosoremote' }, replies: [], stateReads: 1 });
    expect((await chat.say('contosoremote')).stateReads).toBe(0);
  });

  it('stays open when the turn that answered it failed before saving, as the saved state still has it open', async () => {
    const chat = promptsInConversations();
    await chat.ask({ family: 'rmm', tool: 'contosoremote' });
    expect((await chat.sayInFailingTurn('5d')).outcome).toEqual({ kind: 'command', text: 'hunt rmm contosoremote 5d' });
    const again = await chat.say('5d');
    expect(again.outcome).toEqual({ kind: 'command', text: 'hunt rmm contosoremote 5d' });
    expect(again.stateReads).toBe(1);
  });
});
