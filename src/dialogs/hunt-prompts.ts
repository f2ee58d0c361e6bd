import { TurnContext, type Activity, type BotState } from 'botbuilder';
import type { DialogSet, DialogState, DialogTurnResult, DialogTurnStatus } from 'botbuilder-dialogs';
import type { CommandSpec } from '../commands/command-spec';
import type { HuntPromptState } from '../domain/hunt-request';
import type { HuntCatalog } from '../hunts/catalog';
import type { HuntPromptOutcome } from './hunt-prompt-dialog';
import { OpenQuestions } from './open-questions';

/** A question left unanswered this long is dropped quietly on the user's next message. */
export const PROMPT_TIMEOUT_MS = 5 * 60_000;

/** What the bot does after the prompt has seen a message. */
export type PromptTurn =
  /** The prompt answered the user (asked, re-asked, cancelled, refused): nothing more to do. */
  | { kind: 'done' }
  /** Run this as a command: the prompt's completed command, or a message that was not an answer. */
  | { kind: 'command'; text: string };

export interface HuntPromptsOptions {
  catalog: HuntCatalog;
  /** Per user and conversation (PrivateConversationState), so a question is scoped to whoever was asked. */
  state: BotState;
  /** The command words: a message starting with one replaces the open question. */
  commands: () => readonly CommandSpec[];
  now?: () => number;
}

/** The loaded dialog set, its prompt dialog's id, and botbuilder-dialogs' "complete" turn status. */
interface PromptDialogs {
  set: DialogSet;
  dialogId: string;
  complete: DialogTurnStatus;
}

/** The choice card's submit data (cards/choice.json): the choice, and whom the question was for. */
interface ChoiceSubmission {
  promptChoice?: unknown;
  promptUser?: unknown;
}

/**
 * The bot's questions for the missing parts of a `hunt` command: begins the prompt dialog, and gives
 * each message to the open question (if any) before it is handled as a command.
 */
export class HuntPrompts {
  /** Who has a question open: everyone else's messages skip the dialog context and the state load and save. */
  private readonly openQuestions = new OpenQuestions();
  private dialogs: Promise<PromptDialogs> | undefined;

  constructor(private readonly options: HuntPromptsOptions) {}

  /**
   * The dialog set, made on the first question or answer: botbuilder-dialogs is loaded then, not at start
   * (its prompts' culture models take ~200 ms of module loading that a bot never asked one does not pay).
   */
  private promptDialogs(): Promise<PromptDialogs> {
    this.dialogs ??= (async () => {
      const [{ DialogSet, DialogTurnStatus }, { HUNT_PROMPT_DIALOG, HuntPromptDialog }] = await Promise.all([import('botbuilder-dialogs'), import('./hunt-prompt-dialog')]);
      const { options } = this;
      const set = new DialogSet(options.state.createProperty<DialogState>('dialogState'));
      set.add(
        new HuntPromptDialog(options.catalog, {
          isCommandWord: (word) => options.commands().some((spec) => spec.id === word || spec.aliases?.includes(word)),
          timeoutMs: PROMPT_TIMEOUT_MS,
          now: options.now ?? Date.now,
        }),
      );
      return { set, dialogId: HUNT_PROMPT_DIALOG, complete: DialogTurnStatus.complete };
    })();
    return this.dialogs;
  }

  /** Asks for the first missing part; the user's next messages go to `receive`. */
  async ask(context: TurnContext, missing: HuntPromptState): Promise<PromptTurn> {
    const dialogs = await this.promptDialogs();
    const dialogContext = await dialogs.set.createContext(context);
    const result = await dialogContext.beginDialog(dialogs.dialogId, missing);
    this.openQuestions.record(context, dialogContext.activeDialog !== undefined);
    return turnAfter(result, dialogs.complete) ?? { kind: 'done' };
  }

  /** A message (typed, or a choice card's submit): an answer to the open question, or a command. */
  async receive(context: TurnContext): Promise<PromptTurn> {
    const submission = (context.activity.value ?? {}) as ChoiceSubmission;
    if (typeof submission.promptUser === 'string' && typeof submission.promptChoice === 'string' && submission.promptUser !== context.activity.from?.id) {
      await context.sendActivity('That question was for someone else. Start your own with `hunt`.');
      return { kind: 'done' };
    }
    const text = messageText(context.activity);
    if (this.openQuestions.mayHaveOne(context.activity)) {
      const turn = await this.answer(context, text);
      if (turn) return turn;
    }
    if (text.trim().toLowerCase() === 'cancel') {
      await context.sendActivity('There is nothing to cancel.');
      return { kind: 'done' };
    }
    return { kind: 'command', text };
  }

  /** The turn failed before its state was saved: who has a question open goes back to what the saved state says. */
  turnNotSaved(context: TurnContext): void {
    this.openQuestions.undoTurn(context);
  }

  /** The open question's turn; undefined when there is none (any more) and the message is to be handled anew. */
  private async answer(context: TurnContext, text: string): Promise<PromptTurn | undefined> {
    const dialogs = await this.promptDialogs();
    const dialogContext = await dialogs.set.createContext(context);
    if (!dialogContext.activeDialog) {
      // The saved state has no question (after a failed turn, say): stop loading it for this sender.
      this.openQuestions.record(context, false);
      return undefined;
    }
    // The dialog reads the answer from the text, whether typed or picked on the card.
    context.activity.text = text;
    const result = await dialogContext.continueDialog();
    this.openQuestions.record(context, dialogContext.activeDialog !== undefined);
    return turnAfter(result, dialogs.complete);
  }
}

/** What the dialog's turn means for the bot; undefined when the message is to be handled as a new one. */
function turnAfter(result: DialogTurnResult, complete: DialogTurnStatus): PromptTurn | undefined {
  if (result.status !== complete) return { kind: 'done' };
  const outcome = result.result as HuntPromptOutcome;
  switch (outcome.kind) {
    case 'answered':
      return { kind: 'command', text: outcome.commandText };
    case 'cancelled':
      return { kind: 'done' };
    case 'not-an-answer':
      return undefined;
  }
}

/** The choice picked on a card, or the typed text without the @mention of the bot. */
function messageText(activity: Activity): string {
  const submission = (activity.value ?? {}) as ChoiceSubmission;
  if (typeof submission.promptChoice === 'string') return submission.promptChoice;
  return TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
}
