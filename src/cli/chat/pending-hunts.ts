import { cardOf, isRunningCard } from './card-text';
import type { ConnectorActivity } from './connector-server';

/**
 * The bot's running cards that have not yet been replaced by their result, so the chat can wait for
 * them when its input ends (`echo 'hunt ...' | huntbot chat`) instead of leaving before the answer.
 */
export class PendingHunts {
  private readonly running = new Set<string>();
  private readonly waiters = new Set<() => void>();

  /** Feed every activity the connector receives. */
  observe(event: ConnectorActivity): void {
    if (isRunningCard(cardOf(event.activity))) this.running.add(event.id);
    else if (event.operation === 'update') this.running.delete(event.id);
    if (this.running.size === 0) for (const wake of this.waiters) wake();
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves true when every running card has its result, false when `timeoutMs` passes first. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(result);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(wake);
    });
  }
}
