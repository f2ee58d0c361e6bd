import type { HuntPromptState } from '../domain/hunt-request';
import type { HuntCatalog } from '../hunts/catalog';
import { parseWindowWords, type WindowContext } from '../commands/window-words';
import { WINDOW_FORMS } from '../commands/window';
import { LOOKUP_FAMILY, lookupWindow } from '../commands/lookup-command';
import { argumentExample, checkArgument } from '../hunts/argument-types';

/** One question the dialog may ask, with its choices and how to check an answer. Plain data, no SDK. */
export interface PromptQuestion {
  slot: PromptSlot;
  question: string;
  /** Names the input (screen readers, `huntbot chat`); the card shows `question` above it. */
  label: string;
  hint: string;
  choices: Array<{ title: string; value: string }>;
  defaultValue: string;
  /** Returns an error message, or undefined when the answer is acceptable. */
  check(answer: string): string | undefined;
}

export type PromptSlot = 'family' | 'tool' | 'value' | 'window';

/** Longest answer taken: a choice is short, a lookup's value may be a URL. */
export function maxAnswerLength(slot: PromptSlot): number {
  return slot === 'value' ? 2048 : 60;
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
  if (state.family === LOOKUP_FAMILY && !state.value) {
    const resolution = catalog.resolve(state.family, state.tool, 'all');
    const argument = resolution.ok ? resolution.hunts[0]?.arguments?.[0] : undefined;
    if (argument) {
      return {
        slot: 'value',
        question: `Which ${state.tool} should I look up?`,
        label: argument.name,
        hint: `${argument.description}, e.g. ${argumentExample(argument.type)}. Type \`cancel\` to stop.`,
        choices: [],
        defaultValue: '',
        check: (answer) => {
          const checked = checkArgument(argument.type, answer);
          return checked.ok ? undefined : checked.message;
        },
      };
    }
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
        const words = answer.split(' ').filter((w) => w !== '');
        if (state.family === LOOKUP_FAMILY) {
          const lookup = lookupWindow(words, { now: clock.now ?? new Date(), timeZone: clock.timeZone });
          return lookup.ok ? undefined : lookup.message;
        }
        const parsed = parseWindowWords(words, { now: clock.now ?? new Date(), timeZone: clock.timeZone });
        if (!parsed.ok) return parsed.message;
        return parsed.window && parsed.rest.length === 0 ? undefined : `"${answer}" is not a time window. Use ${WINDOW_FORMS}.`;
      },
    };
  }
  return undefined;
}

/** The complete command the dialog's answers add up to. */
export function answeredCommand(state: HuntPromptState): string {
  if (state.family === LOOKUP_FAMILY) return [LOOKUP_FAMILY, state.tool, state.value, state.window].filter((w) => w).join(' ');
  return ['hunt', state.family, state.tool, state.kind, state.window].filter((w) => w).join(' ');
}
