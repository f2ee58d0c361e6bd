/** An action a person can press on a rendered card. */
export interface CardAction {
  type: string;
  title: string;
  verb?: string;
  data?: Record<string, unknown>;
  targetElements?: string[];
  /** What the action is about when a card repeats it per row: the row's first text (the device name). */
  context?: string;
}

export interface CardInput {
  id: string;
  label: string;
  choices?: Array<{ title: string; value: string }>;
  value?: string;
}

export interface RenderedCard {
  lines: string[];
  actions: CardAction[];
  inputs: CardInput[];
}

type Element = Record<string, unknown>;

/**
 * Renders an Adaptive Card as terminal text: text blocks, facts, column rows, inputs and numbered
 * actions. Hidden elements are shown only when their id is in `revealed` (Action.ToggleVisibility).
 */
export function renderCardText(card: Element, revealed: ReadonlySet<string> = new Set()): RenderedCard {
  const out: RenderedCard = { lines: [], actions: [], inputs: [] };
  walk(asElements(card.body), out, revealed, '');
  collectActions(card.actions, out);
  return out;
}

function asElements(value: unknown): Element[] {
  return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Element[]) : [];
}

function walk(elements: Element[], out: RenderedCard, revealed: ReadonlySet<string>, indent: string): void {
  for (const el of elements) {
    if (el.isVisible === false && !(typeof el.id === 'string' && revealed.has(el.id))) continue;
    switch (el.type) {
      case 'TextBlock':
        pushText(out, indent, String(el.text ?? ''));
        break;
      case 'RichTextBlock':
        pushText(out, indent, asElements(el.inlines).map((i) => String(i.text ?? '')).join(''));
        break;
      case 'FactSet':
        for (const fact of asElements(el.facts)) out.lines.push(`${indent}${String(fact.title ?? '')}: ${String(fact.value ?? '')}`);
        break;
      case 'ColumnSet': {
        const cells = asElements(el.columns).map((column) => {
          const inner: RenderedCard = { lines: [], actions: out.actions, inputs: out.inputs };
          walk(asElements(column.items), inner, revealed, '');
          return inner.lines.join(' / ');
        });
        out.lines.push(`${indent}${cells.filter((c) => c !== '').join('  |  ')}`);
        break;
      }
      case 'Container': {
        const first = out.actions.length;
        walk(asElements(el.items), out, revealed, indent);
        collectActions(el.selectAction ? [el.selectAction] : [], out);
        // A row's "Tag benign" means nothing without the row: name it by the row's first text.
        const context = firstText(asElements(el.items));
        for (const action of out.actions.slice(first)) action.context ??= context;
        break;
      }
      case 'ActionSet':
        collectActions(el.actions, out);
        break;
      case 'Input.ChoiceSet': {
        const choices = asElements(el.choices).map((c) => ({ title: String(c.title ?? ''), value: String(c.value ?? '') }));
        const label = String(el.label ?? question(out) ?? el.id ?? '');
        out.inputs.push({ id: String(el.id ?? ''), label, choices, value: strOrUndefined(el.value) });
        out.lines.push(`${indent}[input] ${label}: ${choices.length} choices${el.value ? ` (default ${String(el.value)})` : ''}`);
        break;
      }
      case 'Input.Text':
      case 'Input.Date':
      case 'Input.Number':
        out.inputs.push({ id: String(el.id ?? ''), label: String(el.label ?? el.placeholder ?? question(out) ?? el.id ?? ''), value: strOrUndefined(el.value) });
        out.lines.push(`${indent}[input ${String(el.id)}] ${String(el.label ?? el.placeholder ?? '')}`);
        break;
      default:
        break;
    }
  }
}

/** An input without a label is asked by the text just above it (the prompt card's question), not by its id. */
function question(out: RenderedCard): string | undefined {
  const last = out.lines[out.lines.length - 1]?.trim();
  return last ? last : undefined;
}

/** The first text inside these elements, depth first (columns included). */
function firstText(elements: Element[]): string | undefined {
  for (const el of elements) {
    const text =
      el.type === 'TextBlock' ? String(el.text ?? '')
      : el.type === 'RichTextBlock' ? asElements(el.inlines).map((i) => String(i.text ?? '')).join('')
      : firstText([...asElements(el.items), ...asElements(el.columns)]) ?? '';
    if (text.trim() !== '') return text.trim();
  }
  return undefined;
}

function strOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function pushText(out: RenderedCard, indent: string, text: string): void {
  if (text.trim() === '') return;
  for (const line of text.split('\n')) out.lines.push(`${indent}${line}`);
}

function collectActions(actions: unknown, out: RenderedCard): void {
  for (const action of asElements(actions)) {
    out.actions.push({
      type: String(action.type ?? ''),
      title: String(action.title ?? action.type ?? ''),
      verb: typeof action.verb === 'string' ? action.verb : undefined,
      data: action.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : undefined,
      targetElements: Array.isArray(action.targetElements)
        ? action.targetElements.map((t) => (typeof t === 'string' ? t : String((t as Element).elementId ?? '')))
        : undefined,
    });
  }
}

/** The Adaptive Card in an activity, if it carries one. */
export function cardOf(activity: Record<string, unknown>): Element | undefined {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as Element[]) : [];
  const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return card?.content as Element | undefined;
}

/** True for the "running" card that a later update replaces. */
export function isRunningCard(card: Element | undefined): boolean {
  return Boolean(card && JSON.stringify(card.body ?? []).includes('"id":"huntbot-running"'));
}
