import { QueryFailure, type QueryFailureKind } from '../domain/query-failure';
import type { RunFailure } from '../domain/hunt-run';
import { StoreReadError } from '../stores/store-errors';
import { withoutServerPaths } from '../text/server-paths';
import { userErrorText } from '../text/user-error';

const ADVICE: Record<QueryFailureKind, string> = {
  'invalid-query': 'The hunt\'s KQL did not pass the Kusto parser, so it was not sent. Fix the hunt file (`huntbot validate`) or report it to the bot\'s owner.',
  unauthorized: 'The bot could not authenticate to the workspace. Check its managed identity or credentials (AZURE_CLIENT_ID, az login for local use).',
  forbidden: 'The bot\'s identity lacks a role on the workspace. Grant it Microsoft Sentinel Reader or Log Analytics Reader.',
  throttled: 'The workspace is throttling queries. Wait a minute and run the hunt again, or narrow the window.',
  timeout: 'The query took too long. Try a shorter window (e.g. `1d`) or run it again later.',
  unavailable: 'The query service could not be reached or failed. Run the hunt again in a moment; if it persists, check the service health.',
  cancelled: 'The hunt was cancelled. Run it again when you need it.',
  unsupported: 'The embedded engine does not evaluate a construct this hunt uses. Run it against Sentinel, or simplify the hunt.',
  'too-large':
    'The hunt needed more rows or memory than the embedded engine allows. Try a shorter window (e.g. `1d`) or a narrower hunt; the bot\'s owner can raise HUNT_ENGINE_MAX_ROWS or HUNT_ENGINE_WORKER_MEMORY_MB if the machine has room.',
  internal: 'Something unexpected went wrong in the bot. Run the hunt again; if it persists, give the correlation id to the bot\'s owner.',
};

const STORE_ADVICE =
  'The bot\'s tag store is failing, so tagged devices cannot be hidden. The bot\'s owner should check /readyz and the logs for this correlation id.';

/**
 * Turns any error from a run into what the error card shows: what happened and what to do. Messages
 * pass through userErrorText, so a server path (a database file, a data folder) never reaches chat.
 */
export function describeFailure(error: unknown): RunFailure {
  if (error instanceof StoreReadError) {
    return { kind: 'unavailable', message: `Could not read the benign tags: ${userErrorText(error)}`, advice: STORE_ADVICE, detail: '' };
  }
  if (error instanceof QueryFailure) {
    const detail = error.details.diagnostics
      ? (error.details.diagnostics as Array<{ code?: string; message?: string; line?: number; column?: number }>)
          .slice(0, 5)
          .map((d) => `${d.code ?? ''} ${d.line ?? '?'}:${d.column ?? '?'} ${d.message ?? ''}`.trim())
          .join('\n')
      : error.details.code
        ? `${error.details.statusCode ?? ''} ${error.details.code}`.trim()
        : '';
    return { kind: error.kind, message: withoutServerPaths(error.message), advice: error.details.advice ?? ADVICE[error.kind], detail: withoutServerPaths(detail) };
  }
  return { kind: 'internal', message: `Unexpected error: ${userErrorText(error)}`, advice: ADVICE.internal, detail: '' };
}
