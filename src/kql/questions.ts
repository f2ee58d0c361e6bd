import { checkQuery, queryTokens } from './check';
import { findQueryTimeWindow, type QueryTimeWindow } from './time-window';
import type { KqlDiagnostic } from './types';

/**
 * What an application asks of the Kusto parser about a query's text (not to run it): its diagnostics
 * against the bundled schema, its tokens, and where it writes its own time window. Asynchronous, so the
 * answer can come from a parser loaded in another thread as well as from this one.
 */
export interface KqlQuestions {
  check(kql: string): Promise<KqlDiagnostic[]>;
  tokens(kql: string): Promise<string[]>;
  timeWindow(kql: string): Promise<QueryTimeWindow>;
}

export type KqlQuestionKind = keyof KqlQuestions;

/** The parser of this thread (loaded on the first question). */
export const inThreadKqlQuestions: KqlQuestions = {
  check: async (kql) => checkQuery(kql),
  tokens: async (kql) => queryTokens(kql),
  timeWindow: async (kql) => findQueryTimeWindow(kql),
};

/** Answers one question synchronously with this thread's parser (the parser process's side of the protocol). */
export function answerKqlQuestion(kind: KqlQuestionKind, kql: string): KqlDiagnostic[] | string[] | QueryTimeWindow {
  switch (kind) {
    case 'check':
      return checkQuery(kql);
    case 'tokens':
      return queryTokens(kql);
    case 'timeWindow':
      return findQueryTimeWindow(kql);
  }
}
