import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';

/** How an open question ends when the message is not an answer to it. */
export type Interruption =
  /** The user said "cancel"; they were told. */
  | { kind: 'cancelled' }
  /** The question was dropped quietly; the message is the user's next message, not an answer. */
  | { kind: 'not-an-answer'; reason: 'timed-out' | 'new-command' };

export interface InterruptionRules {
  /** A message whose first word is a command starts that command instead of answering. */
  isCommandWord(word: string): boolean;
  /** A question is dropped when this long has passed since it was asked or last answered. */
  timeoutMs: number;
  now(): number;
}

interface AnswerClock {
  lastAnsweredAt?: number;
}

/**
 * A ComponentDialog that looks at every message for an interruption before its steps see it (the
 * core-bot CancelAndHelpDialog pattern): "cancel" ends it with "Cancelled."; a stale question or a
 * message starting a command ends it quietly with `not-an-answer`, so the caller handles the message anew.
 * Reads the message from `activity.text`.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  protected constructor(
    id: string,
    private readonly rules: InterruptionRules,
  ) {
    super(id);
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    this.clock(innerDc).lastAnsweredAt = this.rules.now();
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interruption = this.interruption(innerDc);
    if (interruption) {
      await innerDc.cancelAllDialogs();
      if (interruption.kind === 'cancelled') await innerDc.context.sendActivity('Cancelled.');
      return { status: DialogTurnStatus.complete, result: interruption };
    }
    // The time limit counts from the last answer (a wrong one too), not from the first question.
    this.clock(innerDc).lastAnsweredAt = this.rules.now();
    return super.onContinueDialog(innerDc);
  }

  private interruption(innerDc: DialogContext): Interruption | undefined {
    // A question saved before this clock existed has none: it counts as stale.
    const askedAt = this.clock(innerDc).lastAnsweredAt ?? 0;
    if (this.rules.now() - askedAt > this.rules.timeoutMs) return { kind: 'not-an-answer', reason: 'timed-out' };
    const firstWord = (innerDc.context.activity.text ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (firstWord === 'cancel') return { kind: 'cancelled' };
    if (this.rules.isCommandWord(firstWord)) return { kind: 'not-an-answer', reason: 'new-command' };
    return undefined;
  }

  /** Kept in this dialog's own instance state, so it is saved and dropped with the question. */
  private clock(innerDc: DialogContext): AnswerClock {
    const instance = innerDc.parent?.activeDialog;
    if (!instance) throw new Error(`${this.id} runs only as the active dialog of its parent`);
    return instance.state as AnswerClock;
  }
}
