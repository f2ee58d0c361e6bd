import { CardFactory, MessageFactory } from 'botbuilder';
import {
  TextPrompt,
  WaterfallDialog,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { expandCard } from '../cards/card-templates';
import type { HuntPromptState } from '../domain/hunt-request';
import type { HuntCatalog } from '../hunts/catalog';
import { plainText } from './plain-text';
import { answeredCommand, maxAnswerLength, nextQuestion, type PromptQuestion, type PromptSlot } from './hunt-prompt-steps';
import { InterruptibleDialog, type Interruption, type InterruptionRules } from './interruptible-dialog';
import { senderTimeZone } from '../commands/sender-time-zone';
import type { WindowContext } from '../commands/window-words';

export const HUNT_PROMPT_DIALOG = 'huntPrompt';
const ASK = 'huntPrompt.ask';
const LOOP = 'huntPrompt.loop';

interface StepValues {
  state: HuntPromptState;
  slot: PromptSlot;
}

/** How the prompt ended: with the complete command, or interrupted (cancel, timeout, a new command). */
export type HuntPromptOutcome = { kind: 'answered'; commandText: string } | Interruption;

/**
 * Asks, one at a time, for the parts of a `hunt` command the user left out (family, tool, window),
 * with a choice card per question. Ends with a HuntPromptOutcome.
 */
export class HuntPromptDialog extends InterruptibleDialog {
  constructor(
    private readonly catalog: HuntCatalog,
    private readonly interruptionRules: InterruptionRules,
  ) {
    super(HUNT_PROMPT_DIALOG, interruptionRules);
    this.addDialog(new TextPrompt(ASK, (prompt) => this.validate(prompt)));
    this.addDialog(new WaterfallDialog(LOOP, [(step) => this.ask(step), (step) => this.record(step)]));
    this.initialDialogId = LOOP;
  }

  private async ask(step: WaterfallStepContext) {
    const state = step.options as HuntPromptState;
    const values = step.values as StepValues;
    values.state = state;
    const question = nextQuestion(this.catalog, state);
    if (!question) return step.endDialog({ kind: 'answered', commandText: answeredCommand(state) } satisfies HuntPromptOutcome);
    values.slot = question.slot;
    const userId = step.context.activity.from?.id ?? '';
    return step.prompt(ASK, {
      prompt: MessageFactory.attachment(CardFactory.adaptiveCard(choiceCard(question, userId))),
      validations: { slot: question.slot, state },
    });
  }

  private async record(step: WaterfallStepContext) {
    const values = step.values as StepValues;
    // A lookup's value keeps its case (its type normalizes it); choices are command words.
    const answer = String(step.result);
    const state: HuntPromptState = { ...values.state, [values.slot]: values.slot === 'value' ? answer : answer.toLowerCase() };
    return step.replaceDialog(LOOP, state);
  }

  private async validate(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const typed = (prompt.recognized.value ?? '').trim();
    const { state } = prompt.options.validations as { state: HuntPromptState };
    // A window answer is read like the command reads it: now, in the sender's Teams time zone.
    const clock: WindowContext = { now: new Date(this.interruptionRules.now()), timeZone: senderTimeZone(prompt.context.activity) };
    const question = nextQuestion(this.catalog, state, clock);
    if (!question) return true;
    const answer = question.slot === 'value' ? typed : typed.toLowerCase();
    const problem =
      answer === ''
        ? question.slot === 'value' ? 'Please type a value.' : 'Please pick one of the choices.'
        : answer.length > maxAnswerLength(question.slot)
          ? 'That answer is too long to be a choice.'
          : question.check(answer);
    if (problem) {
      // The retry prompt is this answer's own problem (with "did you mean"), not a generic repeat.
      prompt.options.retryPrompt = plainText(`${problem} Type "cancel" to stop.`);
      return false;
    }
    prompt.recognized.value = answer;
    return true;
  }
}

function choiceCard(question: PromptQuestion, userId: string) {
  return expandCard('choice', {
    question: question.question,
    label: question.label,
    hint: question.hint,
    choices: question.choices,
    defaultValue: question.defaultValue,
    promptFor: question.slot,
    promptUser: userId,
  });
}
