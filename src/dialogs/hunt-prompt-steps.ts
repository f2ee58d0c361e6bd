import type { HuntPromptState } from '../domain/hunt-request';
import type { HuntCatalog } from '../hunts/catalog';
import { parseWindowWords, type WindowContext } from '../commands/window-words';
import { WINDOW_FORMS } from '../commands/window';

/** One question the dialog may ask, with its choices and how to check an answer. Plain data, no SDK. */
export interface PromptQuestion {
  slot: 'family' | 'tool' | 'window';
  question: string;
  /** Names the input (screen readers, `huntbot chat`); the card shows `question` above it. */
  label: string;
  hint: string;
  choices: Array<{ title: string; value: string }>;
  defaultValue: string;
  /** Returns an error message, or undefined when the answer is acceptable. */
  check(answer: string): string | undefined;
}

const WINDOW_CHOICES = ['1h', '12h', '1d', '5d', '7d', '14d', '30d'];

/** The next missing slot of a `hunt` command, or undefined when the command is complete. */
export function nextQuestion(catalog: HuntCatalog, state: HuntPromptState, clock: Partial<WindowContext> = {}): PromptQuestion | undefined {
  if (!state.family) {
    const families = catalog.families();
    return {
      slot: 'family',
      question: 'Which hunt family?',
      label: 'Family',
      hint: 'Type `cancel` to stop.',
      choices: families.map((f) => ({ title: f, value: f })),
      defaultValue: families[0] ?? '',
      check: (answer) => (families.includes(answer) ? undefined : `"${answer}" is not a family. Pick one of: ${families.join(', ')}.`),
    };
  }
  if (!state.tool) {
    const family = state.family;
    const tools = catalog.tools(family).filter((t) => !t.noHuntReason);
    return {
      slot: 'tool',
      question: `Which ${family} tool?`,
      label: 'Tool',
      hint: 'Start typing to filter. Type `cancel` to stop.',
      choices: tools.map((t) => ({ title: `${t.toolName} (${t.kinds.join(', ')})`, value: t.tool })),
      defaultValue: '',
      check: (answer) => {
        const resolution = catalog.resolve(family, answer, state.kind);
        if (resolution.ok) return undefined;
        const suggestions = resolution.suggestions.length > 0 ? ` Did you mean ${resolution.suggestions.join(', ')}?` : '';
        return `${resolution.message}${suggestions}`;
      },
    };
  }
  if (!state.window) {
    return {
      slot: 'window',
      question: 'How far back?',
      label: 'Window',
      hint: 'Or type a window like 90m, 12h, 5d, since 2026-12-01T14:05 or around 2026-12-01 14:05 ±2h (your Teams time zone unless you add an offset).',
      choices: WINDOW_CHOICES.map((w) => ({ title: `last ${w}`, value: w })),
      defaultValue: '5d',
      check: (answer) => {
        // The same parser as the command; the command reads the answer again when it runs.
        const parsed = parseWindowWords(answer.split(' ').filter((w) => w !== ''), { now: clock.now ?? new Date(), timeZone: clock.timeZone });
        if (!parsed.ok) return parsed.message;
        return parsed.window && parsed.rest.length === 0 ? undefined : `"${answer}" is not a time window. Use ${WINDOW_FORMS}.`;
      },
    };
  }
  return undefined;
}

/** The complete command the dialog's answers add up to. */
export function commandText(state: HuntPromptState): string {
  return ['hunt', state.family, state.tool, state.kind, state.window].filter((w) => w).join(' ');
}
