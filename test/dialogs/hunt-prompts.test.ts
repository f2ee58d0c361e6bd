import { MemoryStorage, PrivateConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { CommandRegistry } from '../../src/commands/command-registry';
import { helpCommand } from '../../src/commands/help-command';
import { huntCommand } from '../../src/commands/hunt-command';
import { HuntPrompts, PROMPT_TIMEOUT_MS, type PromptTurn } from '../../src/dialogs/hunt-prompts';
import type { HuntPromptState } from '../../src/domain/hunt-request';
import { HuntCatalog } from '../../src/hunts/catalog';
import { loadHuntFile } from '../../src/hunts/hunt-file';
import { huntFileText } from '../hunts/hunt-fixtures';
import { cardText } from '../support/card-text';

const alice = { id: '29:alice', name: 'Alice' };
const bob = { id: '29:bob', name: 'Bob' };
const MINUTE = 60_000;

/** One rmm tool (contosoremote), loaded from a hunt file text without the Kusto analysis. */
function oneToolCatalog(): HuntCatalog {
  const loaded = loadHuntFile(huntFileText(), 'test', { defaultScenarios: [], checkQuery: () => [], withExclusionFilter: false });
  if (!loaded.ok) throw new Error(loaded.reason);
  return HuntCatalog.fromHunts([loaded.hunt]);
}

interface Turn {
  outcome: PromptTurn;
  /** What the user saw: a reply's text, or the text of the card it carried. */
  replies: string[];
}

/** The prompts over the Bot Framework's test adapter, with the real command words and a clock the test moves. */
function promptsInConversation(catalog: HuntCatalog = oneToolCatalog()) {
  const registry = new CommandRegistry().register(huntCommand(catalog));
  registry.register(helpCommand(() => registry.specs()));
  const state = new PrivateConversationState(new MemoryStorage());
  let clock = Date.parse('2026-12-01T09:00:00Z');
  const prompts = new HuntPrompts({ catalog, state, commands: () => registry.specs(), now: () => clock });
  const adapter = new TestAdapter(async () => undefined);
  let cards: unknown[] = [];

  const turn = async (activity: Partial<Activity>, run: (context: TurnContext) => Promise<PromptTurn>): Promise<Turn> => {
    let outcome: PromptTurn | undefined;
    await adapter.processActivity({ type: 'message', ...activity }, async (context) => {
      outcome = await run(context);
      await state.saveChanges(context);
    });
    const sent = adapter.activeQueue.splice(0);
    cards = sent.flatMap((reply) => (reply.attachments ?? []).map((attachment) => attachment.content as unknown));
    const replies = sent.map((reply) => reply.text ?? cardText(reply.attachments?.[0]?.content));
    return { outcome: outcome!, replies };
  };

  return {
    /** The bot asks for what `hunt` left out. */
    ask: (missing: HuntPromptState, from = alice) => turn({ text: 'hunt', from }, (context) => prompts.ask(context, missing)),
    /** The user types a message. */
    say: (text: string, from = alice) => turn({ text, from }, (context) => prompts.receive(context)),
    /** The user presses OK on a choice card that was sent to `askedUser`. */
    pick: (choice: string, from = alice, askedUser = alice) =>
      turn({ from, value: { promptFor: 'any', promptUser: askedUser.id, promptChoice: choice } }, (context) => prompts.receive(context)),
    wait: (ms: number) => {
      clock += ms;
    },
    /** The cards of the last turn's replies, as sent. */
    cards: () => cards,
  };
}

describe('the hunt prompt (asking for the parts of a hunt command the user left out)', () => {
  it('asks family, tool and window in turn and ends with the complete command text', async () => {
    const chat = promptsInConversation();
    const asked = await chat.ask({});
    expect(asked.outcome).toEqual({ kind: 'done' });
    expect(asked.replies[0]).toContain('Which hunt family?');

    const family = await chat.pick('rmm');
    expect(family.replies[0]).toContain('Which rmm tool?');
    const tool = await chat.say('ContosoRemote');
    expect(tool.replies[0]).toContain('How far back?');
    const window = await chat.pick('5d');

    expect(window).toEqual({ outcome: { kind: 'command', text: 'hunt rmm contosoremote 5d' }, replies: [] });
  });

  it('re-asks a wrong answer with its own problem, and keeps the question open', async () => {
    const chat = promptsInConversation();
    await chat.ask({ family: 'rmm' });
    const wrong = await chat.say('contosoremot');
    expect(wrong.outcome).toEqual({ kind: 'done' });
    expect(wrong.replies).toHaveLength(1);
    expect(wrong.replies[0]).toContain('contosoremote');
    expect(wrong.replies[0]).toContain('Type "cancel" to stop.');

    expect((await chat.say('contosoremote')).replies[0]).toContain('How far back?');
  });

  it('stops on "cancel" mid-question, says so, and then has nothing left to cancel', async () => {
    const chat = promptsInConversation();
    await chat.ask({ family: 'rmm' });
    expect(await chat.say('cancel')).toEqual({ outcome: { kind: 'done' }, replies: ['Cancelled.'] });
    expect(await chat.say('cancel')).toEqual({ outcome: { kind: 'done' }, replies: ['There is nothing to cancel.'] });
  });

  it('stops on the card\'s Cancel button as on the typed word', async () => {
    const chat = promptsInConversation();
    await chat.ask({});
    expect(await chat.pick('cancel')).toEqual({ outcome: { kind: 'done' }, replies: ['Cancelled.'] });
  });

  it('lets a fresh command replace the open question: the command is handed back, and the question is gone', async () => {
    const chat = promptsInConversation();
    await chat.ask({});
    expect(await chat.say('help')).toEqual({ outcome: { kind: 'command', text: 'help' }, replies: [] });
    expect(await chat.say('HUNT rmm contosoremote 1d')).toEqual({ outcome: { kind: 'command', text: 'HUNT rmm contosoremote 1d' }, replies: [] });
    expect((await chat.say('cancel')).replies).toEqual(['There is nothing to cancel.']);
  });

  it('drops a question left unanswered for five minutes quietly, and treats the late message as a new one', async () => {
    const chat = promptsInConversation();
    await chat.ask({ family: 'rmm' });
    chat.wait(PROMPT_TIMEOUT_MS + 1);
    expect(await chat.say('contosoremote')).toEqual({ outcome: { kind: 'command', text: 'contosoremote' }, replies: [] });
  });

  it('says there is nothing to cancel when the question has already timed out', async () => {
    const chat = promptsInConversation();
    await chat.ask({});
    chat.wait(PROMPT_TIMEOUT_MS + 1);
    expect(await chat.say('cancel')).toEqual({ outcome: { kind: 'done' }, replies: ['There is nothing to cancel.'] });
  });

  it('counts the five minutes from the last answer, not from the first question', async () => {
    const chat = promptsInConversation();
    await chat.ask({ family: 'rmm' });
    chat.wait(4 * MINUTE);
    await chat.say('not-a-tool');
    chat.wait(4 * MINUTE);
    expect((await chat.say('contosoremote')).replies[0]).toContain('How far back?');
  });

  it('refuses an answer from someone else, and keeps the question open for the person asked', async () => {
    const chat = promptsInConversation();
    await chat.ask({ family: 'rmm' });
    const foreign = await chat.pick('contosoremote', bob, alice);
    expect(foreign.outcome).toEqual({ kind: 'done' });
    expect(foreign.replies).toEqual(['That question was for someone else. Start your own with `hunt`.']);

    expect((await chat.pick('contosoremote')).replies[0]).toContain('How far back?');
  });

  it('keeps each person\'s question to themselves: another person\'s typed message is their own', async () => {
    const chat = promptsInConversation();
    await chat.ask({ family: 'rmm' });
    expect(await chat.say('contosoremote', bob)).toEqual({ outcome: { kind: 'command', text: 'contosoremote' }, replies: [] });
    expect((await chat.say('contosoremote')).replies[0]).toContain('How far back?');
  });

  it('labels each choice input by what it asks for, so a text client can name it', async () => {
    const chat = promptsInConversation();
    const labels: string[] = [];
    const label = () => {
      const body = (chat.cards()[0] as { body: Array<{ type: string; label?: string }> }).body;
      labels.push(String(body.find((element) => element.type === 'Input.ChoiceSet')?.label));
    };
    await chat.ask({});
    label();
    await chat.pick('rmm');
    label();
    await chat.pick('contosoremote');
    label();
    expect(labels).toEqual(['Family', 'Tool', 'Window']);
  });
});

describe('the prompt for a lookup left without its value', () => {
  /** The built-in catalog (the lookups live there), without the Kusto analysis. */
  const lookups = () => HuntCatalog.load({ checkQuery: () => [] }).catalog;

  it('asks for the value as text, re-asks with the type and an example, keeps its case, then asks the window', async () => {
    const chat = promptsInConversation(lookups());
    const asked = await chat.ask({ family: 'lookup', tool: 'user' });
    expect(asked.replies[0]).toContain('Which user should I look up?');
    expect(JSON.stringify(chat.cards())).toContain('"type":"Input.Text"');
    const wrong = await chat.say('a|b');
    expect(wrong.replies[0]).toMatch(/not an account .*Example: `alice@contoso.com`/);
    const value = await chat.say('CONTOSO\\Alice');
    expect(value.replies[0]).toContain('How far back?');
    const window = await chat.pick('1d');
    expect(window.outcome).toEqual({ kind: 'command', text: 'lookup user CONTOSO\\Alice 1d' });
  });

  it('accepts a 64-character hash as an answer', async () => {
    const chat = promptsInConversation(lookups());
    await chat.ask({ family: 'lookup', tool: 'hash' });
    const value = await chat.say('E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855');
    expect(value.replies[0]).toContain('How far back?');
  });
});
