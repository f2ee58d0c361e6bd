import type { QueryResult } from '../../src/kql/types';

/** How the fake Log Analytics server answers a query: the contract between it and engine-answer.ts. */

export interface QueryInput {
  workspaceId: string;
  query: string;
  /** ISO 8601 duration or interval as sent in the body, e.g. "2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z". */
  timespan?: string;
}

/** Evaluates a query. Throw QueryRejected to answer 400 the way the service does for a bad query. */
export type QueryAnswer = (input: QueryInput) => QueryResult | Promise<QueryResult>;

/** Thrown by an answer function to make the fake reply 400 BadArgumentError with this inner error. */
export class QueryRejected extends Error {
  constructor(
    message: string,
    readonly innerCode = 'SemanticError',
  ) {
    super(message);
    this.name = 'QueryRejected';
  }
}
