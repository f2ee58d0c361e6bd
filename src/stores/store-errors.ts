/**
 * Typed store failures. The card layer shows StoreWriteError as "not saved — retry" (or, when not
 * transient, as a configuration problem), and must never claim a tag was saved after one.
 */

export type StoreWriteOperation = 'upsert' | 'remove' | 'audit' | 'ensure-watchlist';

export class StoreWriteError extends Error {
  constructor(
    readonly operation: StoreWriteOperation,
    message: string,
    readonly details: {
      searchKey?: string;
      /** True when trying again later may succeed (throttling, outage, timeout, a locked database). */
      transient: boolean;
      statusCode?: number;
      code?: string;
      retryAfterMs?: number;
    },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreWriteError';
  }
}

export class StoreReadError extends Error {
  constructor(
    message: string,
    readonly details: { transient: boolean; statusCode?: number; code?: string },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StoreReadError';
  }
}
