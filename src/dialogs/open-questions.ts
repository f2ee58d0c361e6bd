import type { Activity, TurnContext } from 'botbuilder';

/** Whether the sender's question was open before this turn's first change (turn state). */
const OPEN_BEFORE_TURN = Symbol('openQuestionBeforeTurn');

/**
 * Who has a question open, in memory: the same scope as PrivateConversationState (channel, conversation,
 * sender), so a message from anyone else can skip loading and saving the dialog state (most of a turn's
 * dialog cost). Valid because the prompt state lives in this process's memory too (createPromptState):
 * a restart loses both together.
 */
export class OpenQuestions {
  private readonly open = new Set<string>();

  /** False only when the sender certainly has no open question; a message without a full scope is never skipped. */
  mayHaveOne(activity: Partial<Activity>): boolean {
    const key = scopeKey(activity);
    return key === undefined || this.open.has(key);
  }

  /** After a dialog step: whether the sender's question is open in the turn's state (what the turn will save). */
  record(context: TurnContext, isOpen: boolean): void {
    const key = scopeKey(context.activity);
    if (key === undefined) return;
    if (!context.turnState.has(OPEN_BEFORE_TURN)) context.turnState.set(OPEN_BEFORE_TURN, this.open.has(key));
    this.set(key, isOpen);
  }

  /** The turn's state was not saved (the turn failed): back to what the saved state still says. */
  undoTurn(context: TurnContext): void {
    const key = scopeKey(context.activity);
    const before = context.turnState.get<boolean | undefined>(OPEN_BEFORE_TURN);
    if (key === undefined || before === undefined) return;
    this.set(key, before);
    context.turnState.delete(OPEN_BEFORE_TURN);
  }

  private set(key: string, isOpen: boolean): void {
    if (isOpen) this.open.add(key);
    else this.open.delete(key);
  }
}

/** The parts of PrivateConversationState's storage key; undefined when one is missing (the state itself refuses such a turn). */
function scopeKey(activity: Partial<Activity>): string | undefined {
  const channel = activity.channelId;
  const conversation = activity.conversation?.id;
  const sender = activity.from?.id;
  if (!channel || !conversation || !sender) return undefined;
  return JSON.stringify([channel, conversation, sender]);
}
