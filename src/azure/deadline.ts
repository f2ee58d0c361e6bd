/**
 * Our own client-side deadline. The Azure HTTP client's `timeout` aborts with the same AbortError a
 * user's cancel produces, so it cannot tell "too slow" from "cancelled"; this helper can.
 */
export class DeadlineExceededError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No response within ${timeoutMs} ms.`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `operation` with a signal that aborts when the caller's signal aborts or `timeoutMs` passes.
 * If the deadline fired, whatever the operation rejected with is replaced by DeadlineExceededError.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forwardAbort = (): void => controller.abort();
  if (callerSignal?.aborted) controller.abort();
  else callerSignal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    return await operation(controller.signal);
  } catch (error) {
    if (timedOut && !callerSignal?.aborted) throw new DeadlineExceededError(timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', forwardAbort);
  }
}
