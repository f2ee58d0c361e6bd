import pino from 'pino';
import type { Logger } from './logger';

/** How long the last log lines may take to reach stdout before the process exits anyway. */
const LOG_FLUSH_CEILING_MS = 5_000;

/** pino's own stdout destination (sonic-boom): ending it writes every line still queued or being written, then closes. */
interface EndableDestination {
  end(): void;
  destroy?(): void;
  once(event: 'close' | 'error', listener: () => void): unknown;
}

/**
 * Exits once every log line written so far has reached stdout, in order. pino writes stdout asynchronously, and
 * neither process.exit (its exit hook writes the queued lines but drops a write still in progress, which a full
 * pipe keeps in progress) nor logger.flush (sonic-boom calls back at once unless it buffers by minLength) waits
 * for the write in progress: lines went missing, or "stopped" reached the log before "stopping". Ending the
 * destination waits for it; lines logged after this are dropped (the destination is closed).
 */
export function exitAfterLogs(logger: Logger, code: number, ceilingMs = LOG_FLUSH_CEILING_MS): void {
  process.exitCode = code;
  const destination = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (!isEndable(destination)) {
    setTimeout(() => process.exit(code), ceilingMs);
    logger.flush(() => process.exit(code));
    return;
  }
  setTimeout(() => {
    // A reader that takes nothing more: pino's exit hook would wait for it for ever (sonic-boom retries a full
    // pipe until it is read), so the lines not yet written are given up.
    destination.destroy?.();
    process.exit(code);
  }, ceilingMs);
  // A line written to the closed destination would throw in whoever logged it.
  logger.level = 'silent';
  destination.once('close', () => process.exit(code));
  destination.once('error', () => process.exit(code));
  destination.end();
}

function isEndable(destination: unknown): destination is EndableDestination {
  const candidate = destination as Partial<EndableDestination> | undefined;
  return typeof candidate?.end === 'function' && typeof candidate.once === 'function';
}
