import { randomUUID } from 'node:crypto';
import { withoutServerPaths } from './server-paths';
import { errorMessage } from '../util/error-message';

/**
 * An error's message as it may be shown in chat: first line only, server paths removed, clipped.
 * The full error goes to the logs under a correlation id the user is given.
 */
export function userErrorText(error: unknown, max = 300): string {
  const raw = errorMessage(error);
  const line = withoutServerPaths(raw.split('\n')[0] ?? '').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** A fresh id that ties a chat reply to its log line. */
export function newCorrelationId(): string {
  return randomUUID();
}
