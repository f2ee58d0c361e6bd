import type { AdaptiveCardJson } from '../commands/command-reply';
import type { Requester } from '../commands/command-spec';
import type { CardTarget } from '../runs/run-service';

/** What a card button press produces: a card (or a short message) for the person who pressed it, and optionally a new shared card for everyone. */
export interface CardActionResult {
  forClicker: { card: AdaptiveCardJson } | { message: string } | { error: string };
  forEveryone?: AdaptiveCardJson;
}

/** The card the button was pressed on, so a handler can start work that later updates it. */
export type CardActionOrigin = CardTarget | undefined;

export type CardActionHandler = (data: Record<string, unknown>, actor: Requester, origin: CardActionOrigin) => Promise<CardActionResult>;

/** Routes `Action.Execute` presses by dotted verb (`hit.tag`, `results.page`), as teams-ai does. */
export class CardActionRouter {
  private readonly handlers = new Map<string, CardActionHandler>();

  on(verb: string, handler: CardActionHandler): this {
    if (this.handlers.has(verb)) throw new Error(`card action "${verb}" is registered twice`);
    this.handlers.set(verb, handler);
    return this;
  }

  verbs(): string[] {
    return [...this.handlers.keys()];
  }

  /** Never throws: an unknown verb or a failing handler becomes an error for the clicker. */
  async dispatch(verb: unknown, data: unknown, actor: Requester, origin?: CardActionOrigin): Promise<CardActionResult> {
    const handler = typeof verb === 'string' ? this.handlers.get(verb) : undefined;
    if (!handler) return { forClicker: { error: `Unknown card action "${String(verb).slice(0, 40)}".` } };
    const payload = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    return handler(payload, actor, origin);
  }
}
