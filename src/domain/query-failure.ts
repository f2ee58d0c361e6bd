/**
 * Why a query failed, in terms a responder can act on. `kind` drives the error card's advice.
 */
export type QueryFailureKind =
  | 'invalid-query' // syntax or semantic error (never sent on)
  | 'unauthorized' // 401 / credential missing
  | 'forbidden' // 403: the identity lacks a role on the workspace
  | 'throttled' // 429
  | 'timeout' // 504 or our own deadline
  | 'unavailable' // 5xx, network error
  | 'cancelled'
  | 'unsupported' // a construct the embedded engine does not evaluate
  | 'too-large' // the embedded engine's row budget or memory ceiling stopped it
  | 'internal';

export class QueryFailure extends Error {
  constructor(
    readonly kind: QueryFailureKind,
    message: string,
    readonly details: {
      statusCode?: number;
      code?: string;
      retryAfterMs?: number;
      diagnostics?: unknown[];
      /** What to do, when the backend knows better than the kind's generic advice (e.g. which permission to grant). */
      advice?: string;
    } = {},
  ) {
    super(message);
    this.name = 'QueryFailure';
  }
}
