import { AsyncLocalStorage } from 'node:async_hooks';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const callerAbortSignalPolicyName = 'callerAbortSignalPolicy';

const callerSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * @azure/monitor-query-logs 1.0.0 drops `abortSignal` from LogsQueryOptions (its
 * convertToInternalOptions keeps only `prefer` and `requestOptions`), so cancelling or timing out a
 * query would not close the HTTP request. Code run inside this helper has its signal attached to
 * every request by callerAbortSignalPolicy.
 */
export function runWithAbortSignal<T>(signal: AbortSignal, operation: () => Promise<T>): Promise<T> {
  return callerSignal.run(signal, operation);
}

export function callerAbortSignalPolicy(): PipelinePolicy {
  return {
    name: callerAbortSignalPolicyName,
    sendRequest(request, next) {
      const signal = callerSignal.getStore();
      // If a later SDK version passes the signal itself, keep its own.
      if (signal && !request.abortSignal) request.abortSignal = signal;
      return next(request);
    },
  };
}
