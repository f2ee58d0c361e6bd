import type { KqlQuestionKind, KqlQuestions, QueryTimeWindow } from '../kql';
import type { KqlDiagnostic } from '../kql/types';
import { errorMessage } from '../util/error-message';
import { type CatalogLoadOptions, type CatalogLoadProblem, HuntCatalog } from './catalog';
import type { QueryCheckCache } from './query-check-cache';

/** Rounds after which a load that still asks new questions is a bug, not a slow parser. */
const MAX_ROUNDS = 8;

/** Questions in flight at once (the parser process answers them one by one anyway). */
const QUESTIONS_AT_ONCE = 4;

const NO_WINDOW: QueryTimeWindow = { slots: [], lookbacks: [] };

type Answer = { value: unknown } | { error: string };

/** Asks of a question before its failure stands: the second time alone, so another question cannot have caused it. */
const ATTEMPTS = 2;

/**
 * HuntCatalog.load with the parser's answers from `questions` (asynchronous: the engine's parser
 * thread), so the main thread never loads a parser of its own. The catalog's loading is synchronous,
 * so it runs in rounds: each round loads with the answers known so far and notes the questions it
 * could not answer; those are asked all at once and the load runs again, until a round asks nothing
 * new (a Sentinel query's window decides the text that is checked, so windows are asked first). Only
 * the last round's result is returned, and it was made from real answers alone. A question that fails
 * (the parser process stopped or was given up) is asked once more, alone; failing again, it makes that
 * hunt a load problem that says why: a hunt whose query could not be checked is never admitted.
 * Verdicts go through `checks` (kept on disk).
 */
export async function loadCatalogThroughParser(
  questions: KqlQuestions,
  options: Omit<CatalogLoadOptions, 'checkQuery' | 'tokenize' | 'findTimeWindow'>,
  checks?: QueryCheckCache,
): Promise<{ catalog: HuntCatalog; problems: CatalogLoadProblem[] }> {
  const answers = new Map<string, Answer>();
  const attempts = new Map<string, number>();
  for (let round = 1; ; round++) {
    // The last round asks nothing: a question still open then makes its hunt a problem, not the bot's start fail.
    const last = round === MAX_ROUNDS;
    const missing = new Map<string, { kind: KqlQuestionKind; kql: string }>();
    // New functions each round: hunt-file.ts memoises verdicts per checker function, and this round's may be stand-ins.
    const answerOf =
      <T>(kind: KqlQuestionKind, standIn: T) =>
      (kql: string): T => {
        const remembered = kind === 'check' ? checks?.known(kql) : undefined;
        if (remembered) return remembered as T;
        const key = `${kind}\0${kql}`;
        const answer = answers.get(key);
        if (answer === undefined) {
          if (last) throw new Error(`its query could not be checked: the Kusto parser had not answered after ${MAX_ROUNDS} rounds`);
          missing.set(key, { kind, kql });
          return standIn;
        }
        if ('error' in answer) throw new Error(`its query could not be checked: ${answer.error}`);
        return answer.value as T;
      };
    const loaded = HuntCatalog.load({
      ...options,
      checkQuery: answerOf<KqlDiagnostic[]>('check', []),
      tokenize: answerOf<string[]>('tokens', []),
      findTimeWindow: answerOf<QueryTimeWindow>('timeWindow', NO_WINDOW),
    });
    if (missing.size === 0 || last) return loaded;
    const windows = [...missing].filter(([, question]) => question.kind === 'timeWindow');
    const queue = windows.length > 0 ? windows : [...missing];
    // Questions asked again after a failure go one at a time, so a failure that stands was this question's own.
    const retrying = queue.some(([key]) => attempts.has(key));
    // A few at a time: the thread answers its watchdog's ping between questions, so a ping never waits behind hundreds.
    const askNext = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [key, { kind, kql }] = next;
        const attempt = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, attempt);
        try {
          const value = await questions[kind](kql);
          answers.set(key, { value });
          if (kind === 'check') checks?.remember(kql, value as KqlDiagnostic[]);
        } catch (error) {
          // A stopped thread fails every question it held, though at most one of them stopped it: ask again.
          if (attempt >= ATTEMPTS) answers.set(key, { error: errorMessage(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: retrying ? 1 : QUESTIONS_AT_ONCE }, askNext));
  }
}
