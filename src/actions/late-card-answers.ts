import { truncate } from '../cards/text';
import { cleanDisplayText, cleanName } from '../text/display-text';
import { userErrorText } from '../text/user-error';
import type { CardActionResult } from './card-action-router';

/**
 * How long a card press may take before the bot answers without its result. Teams' service gives up on an
 * invoke after 10–15 s (a 504 the client shows as an error, whether or not the press did what it asked);
 * the rest of those seconds are left for the network both ways.
 */
export const CARD_ANSWER_MS = 8_000;

/** The answer to a press that changes something, given when Teams would stop waiting. */
export const STILL_WORKING_ON_A_CHANGE =
  'Still working on this: it takes longer than Teams waits for a button. It goes on, and what happened will be posted in this conversation when it is done.';

/**
 * The answer to a change whose outcome cannot be posted (no card to name the conversation by): it goes on, so
 * pressing again would repeat it.
 */
export const STILL_WORKING_UNREPORTED =
  'Still working on this: it takes longer than Teams waits for a button. It goes on; check the card in a moment before pressing again.';

/** The answer to a press that only shows something (a page, a form), given when Teams would stop waiting. */
export const STILL_WORKING_ON_A_VIEW = 'This is taking longer than Teams waits for a button. Press it again in a moment.';

/** The note posted when a change outlasted Teams' wait: who pressed, and what happened, in the handler's words. */
export function lateOutcomeText(actorName: string, result: CardActionResult): string {
  const clicker = result.forClicker;
  const what =
    result.outcome ?? ('message' in clicker ? clicker.message : 'error' in clicker ? clicker.error : 'Done. Press the button again to see the card.');
  return `${who(actorName)}: ${truncate(cleanDisplayText(what), 1_500)} (finished after Teams stopped waiting for the button)`;
}

/** The note posted when a change failed after Teams stopped waiting: what failed, never whether it landed. */
export function lateFailureText(actorName: string, error: unknown, correlationId: string): string {
  // Not the verb's permission words: "tag hits" would misname an untag.
  return `${who(actorName)}: your button press failed after Teams stopped waiting for it: ${userErrorText(error, 200)}. Check the card before trying again. (correlation id ${correlationId})`;
}

function who(name: string): string {
  return truncate(cleanName(name) || 'Someone', 80);
}
