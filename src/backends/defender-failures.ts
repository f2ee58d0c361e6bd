import { isRestError } from '@azure/core-rest-pipeline';
import { QueryFailure } from '../domain/query-failure';
import { DeadlineExceededError } from '../azure/deadline';
import { parseRetryAfterMs } from '../azure/retry-after';
import { TOKEN_ADVICE, TokenAcquisitionError } from '../azure/token-guard';
import { errorMessage } from '../util/error-message';
import { GraphHttpError, GraphUnreadableResponse } from './graph-hunting-client';
import { UnexpectedHuntingResponse } from './graph-hunting-results';

/** What the messages need to be specific. */
export interface DefenderFailureContext {
  /** The Graph root, e.g. https://graph.microsoft.com. */
  endpoint: string;
  /** Our deadline per attempt (HUNT_QUERY_TIMEOUT_SECONDS). */
  timeoutSeconds: number;
  /** Attempts made, retries included. */
  attempts: number;
}

const SERVICE = 'Defender XDR advanced hunting';

/** The advice each failure gets on the error card, where the generic one would name the wrong service or role. */
export const DEFENDER_ADVICE = {
  invalidQuery:
    'Defender XDR refused the hunt\'s KQL. Its schema is not Sentinel\'s: the hunt may read a table or column only a Sentinel workspace has. Fix the hunt file, or run it with HUNT_BACKEND=loganalytics.',
  tooLarge:
    'The result was larger than Defender XDR returns in one answer. Try a shorter window (e.g. `1d`) or a hunt that summarizes more.',
  unauthorized: `The bot could not authenticate to Microsoft Graph. ${TOKEN_ADVICE}`,
  forbidden:
    'Grant the bot\'s identity the Microsoft Graph application permission ThreatHunting.Read.All (it needs admin consent), then run the hunt again.',
  throttled:
    'Defender XDR limits each tenant\'s hunting calls per minute and query time per 15 minutes. Wait as the card says and run the hunt again, or narrow the window.',
} as const;

interface GraphError {
  code?: string;
  message?: string;
}

function graphErrorOf(body: unknown): GraphError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === 'string' && error.code !== '' ? error.code : undefined,
    message: typeof error?.message === 'string' && error.message !== '' ? error.message : undefined,
  };
}

/** The server's text as a sentence of its own, whether or not it ends with a full stop. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/** Defender's documented answer for a result over its size limit is a 400 naming it. */
function isResultTooLarge(message: string): boolean {
  return /exceeded the allowed result size|result size limit|query result .*(too large|exceed)/i.test(message);
}

function fromHttpError(error: GraphHttpError, ctx: DefenderFailureContext): QueryFailure {
  const { status } = error;
  const graph = graphErrorOf(error.body);
  const code = graph.code ?? `Http${status}`;
  const serverMessage = graph.message ?? (typeof error.body === 'string' && error.body.trim() !== '' ? 'no error details (not a Graph error body)' : 'no error details');
  const details = { statusCode: status, code };
  const label = `${status} ${code}`;

  if (status === 400) {
    if (isResultTooLarge(serverMessage)) {
      return new QueryFailure('too-large', `${SERVICE} stopped the query: ${serverMessage}`, { ...details, advice: DEFENDER_ADVICE.tooLarge });
    }
    return new QueryFailure('invalid-query', `${SERVICE} rejected the query (${code}): ${serverMessage}`, {
      ...details,
      advice: DEFENDER_ADVICE.invalidQuery,
    });
  }
  if (status === 401) {
    return new QueryFailure(
      'unauthorized',
      `Microsoft Graph refused the bot's token (${label}: ${serverMessage}). Check that the identity belongs to the tenant and that AZURE_CLOUD (or GRAPH_ENDPOINT) matches the tenant's cloud.`,
      { ...details, advice: DEFENDER_ADVICE.unauthorized },
    );
  }
  if (status === 403) {
    return new QueryFailure('forbidden', `Microsoft Graph denied the hunting query (${label}: ${serverMessage}).`, {
      ...details,
      advice: DEFENDER_ADVICE.forbidden,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(error.headers);
    const when = retryAfterMs !== undefined ? `Try again in ${seconds(retryAfterMs)}.` : 'Try again in a minute.';
    const tries = ctx.attempts === 1 ? 'once' : `${ctx.attempts} times`;
    return new QueryFailure('throttled', `${SERVICE} is throttling the bot's queries (429; tried ${tries}). ${asSentence(serverMessage)} ${when}`, {
      ...details,
      retryAfterMs,
      advice: DEFENDER_ADVICE.throttled,
    });
  }
  if (status === 504 || status === 408) {
    return new QueryFailure(
      'timeout',
      `${SERVICE} did not finish the query in time (${label}). Narrow the time window or the query and try again.`,
      details,
    );
  }
  if (status >= 500) {
    return new QueryFailure('unavailable', `Microsoft Graph is unavailable (HTTP ${label}: ${serverMessage}). Try again shortly.`, details);
  }
  if (status === 404) {
    return new QueryFailure(
      'internal',
      `Microsoft Graph at ${ctx.endpoint} has no runHuntingQuery (${label}). Check AZURE_CLOUD and GRAPH_ENDPOINT.`,
      details,
    );
  }
  return new QueryFailure('internal', `Microsoft Graph answered HTTP ${label}: ${serverMessage}`, details);
}

/** Maps anything the Graph hunting call threw to a QueryFailure a responder can act on. */
export function toDefenderFailure(error: unknown, ctx: DefenderFailureContext): QueryFailure {
  if (error instanceof QueryFailure) return error;
  if (error instanceof GraphHttpError) return fromHttpError(error, ctx);
  if (error instanceof DeadlineExceededError) {
    return new QueryFailure(
      'timeout',
      `${SERVICE} did not answer within ${seconds(error.timeoutMs)} (HUNT_QUERY_TIMEOUT_SECONDS); the query was abandoned. Narrow the time window or the query and try again.`,
    );
  }
  if (error instanceof Error && error.name === 'AbortError') return new QueryFailure('cancelled', 'The query was cancelled.');
  if (error instanceof TokenAcquisitionError) {
    return new QueryFailure('unauthorized', `${error.message}. ${TOKEN_ADVICE}`, { code: error.causeName, advice: DEFENDER_ADVICE.unauthorized });
  }
  if (error instanceof GraphUnreadableResponse || error instanceof UnexpectedHuntingResponse) {
    return new QueryFailure('unavailable', `${error.message}. Try again shortly.`);
  }
  if (isRestError(error) && error.statusCode === undefined) {
    return new QueryFailure(
      'unavailable',
      `Could not reach Microsoft Graph at ${ctx.endpoint} (${error.code ?? 'network error'}: ${error.message}). Try again shortly.`,
      { code: error.code },
    );
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new QueryFailure('unavailable', `Could not reach Microsoft Graph at ${ctx.endpoint} (${code}). Try again shortly.`, { code });
  }
  return new QueryFailure('internal', `Unexpected error from the Microsoft Graph client: ${errorMessage(error)}`);
}
