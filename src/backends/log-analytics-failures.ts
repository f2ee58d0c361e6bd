import { isRestError, RestError } from '@azure/core-rest-pipeline';
import { QueryFailure } from '../domain/query-failure';
import { DeadlineExceededError } from '../azure/deadline';
import { parseRetryAfterMs } from '../azure/retry-after';
import { TOKEN_ADVICE, TokenAcquisitionError } from '../azure/token-guard';
import { errorMessage } from '../util/error-message';

/** What the message needs to say something specific. */
export interface FailureContext {
  workspaceId: string;
  endpoint: string;
  serverTimeoutSeconds: number;
  /** Attempts made, retries included. */
  attempts: number;
}

interface OneApiError {
  code?: string;
  message?: string;
  innererror?: OneApiError;
}

/** The OneAPI error the SDK attached to the RestError (`details`), or parsed from the raw body. */
function oneApiErrorOf(error: RestError): OneApiError | undefined {
  const details = error.details as { error?: OneApiError } | undefined;
  if (details?.error) return details.error;
  const body = error.response?.bodyAsText;
  if (!body) return undefined;
  try {
    return (JSON.parse(body) as { error?: OneApiError }).error;
  } catch {
    return undefined;
  }
}

/** Outer-to-inner chain; the innermost message is the specific one ("Query could not be parsed at…"). */
function errorChain(top: OneApiError | undefined): OneApiError[] {
  const chain: OneApiError[] = [];
  for (let e = top; e && chain.length < 10; e = e.innererror) chain.push(e);
  return chain;
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

function fromRestError(error: RestError, ctx: FailureContext): QueryFailure {
  const status = error.statusCode;
  const top = oneApiErrorOf(error);
  const chain = errorChain(top);
  const code = top?.code ?? error.code;
  const serverMessage = top?.message ?? error.message;
  const details = { statusCode: status, code };
  const label = code ? `${status} ${code}` : `${status}`;

  if (status === undefined) {
    if (error.code === RestError.PARSE_ERROR) {
      return new QueryFailure('unavailable', 'Log Analytics sent a response the bot could not read. Try again shortly.', details);
    }
    return new QueryFailure(
      'unavailable',
      `Could not reach Log Analytics at ${ctx.endpoint} (${error.code ?? 'network error'}: ${error.message}). Try again shortly.`,
      details,
    );
  }
  if (status === 400) {
    const innermost = chain[chain.length - 1];
    const specific = innermost?.message ?? serverMessage;
    const kind = chain.length > 1 ? ` (${chain[1]?.code ?? code})` : '';
    return new QueryFailure('invalid-query', `Log Analytics rejected the query${kind}: ${specific}`, {
      ...details,
      diagnostics: chain.map((e) => ({ code: e.code, message: e.message })),
    });
  }
  if (status === 401) {
    return new QueryFailure(
      'unauthorized',
      `Log Analytics refused the bot's token (${label}: ${serverMessage}). Check that the identity belongs to the workspace's tenant and that AZURE_CLOUD matches the workspace's cloud.`,
      details,
    );
  }
  if (status === 403) {
    const advice =
      code === 'InvalidAuthenticationTokenAudience'
        ? 'The token was issued for another audience: check AZURE_CLOUD (and LOG_ANALYTICS_ENDPOINT) match the workspace.'
        : `Grant the bot identity Log Analytics Reader or Microsoft Sentinel Reader on workspace ${ctx.workspaceId}.`;
    return new QueryFailure('forbidden', `Log Analytics denied the query (${label}: ${serverMessage}). ${advice}`, details);
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(error.response?.headers);
    const when = retryAfterMs !== undefined ? `Try again in ${seconds(retryAfterMs)}.` : 'Try again in a minute.';
    const tries = ctx.attempts === 1 ? 'once' : `${ctx.attempts} times`;
    return new QueryFailure(
      'throttled',
      `Log Analytics is throttling the bot's queries (429; tried ${tries}). ${when}`,
      { ...details, retryAfterMs },
    );
  }
  if (status === 504 || status === 408) {
    return new QueryFailure(
      'timeout',
      `The query did not finish within the server timeout (${ctx.serverTimeoutSeconds} s). Narrow the time window or the query and try again.`,
      details,
    );
  }
  if (status >= 500) {
    return new QueryFailure(
      'unavailable',
      `Log Analytics is unavailable (HTTP ${label}: ${serverMessage}). Try again shortly.`,
      details,
    );
  }
  if (status === 404) {
    return new QueryFailure(
      'internal',
      `Workspace ${ctx.workspaceId} was not found at ${ctx.endpoint} (${label}). Check SENTINEL_WORKSPACE_ID and AZURE_CLOUD.`,
      details,
    );
  }
  return new QueryFailure('internal', `Log Analytics answered HTTP ${label}: ${serverMessage}`, details);
}

/** Maps anything the Log Analytics client threw to a QueryFailure a responder can act on. */
export function toQueryFailure(error: unknown, ctx: FailureContext): QueryFailure {
  if (error instanceof QueryFailure) return error;
  if (error instanceof DeadlineExceededError) {
    return new QueryFailure(
      'timeout',
      `Log Analytics did not answer within ${seconds(error.timeoutMs)}; the query was abandoned. Narrow the time window or the query and try again.`,
    );
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new QueryFailure('cancelled', 'The query was cancelled.');
  }
  if (error instanceof TokenAcquisitionError) {
    return new QueryFailure('unauthorized', `${error.message}. ${TOKEN_ADVICE}`, { code: error.causeName });
  }
  if (isRestError(error)) return fromRestError(error, ctx);
  const message = errorMessage(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new QueryFailure('unavailable', `Could not reach Log Analytics at ${ctx.endpoint} (${code}). Try again shortly.`, { code });
  }
  return new QueryFailure('internal', `Unexpected error from the Log Analytics client: ${message}`);
}
