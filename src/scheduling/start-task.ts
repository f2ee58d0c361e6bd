/** Calls async work so that a synchronous throw becomes a rejection, like a failure of the work itself. */
export function startTask<T>(task: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return Promise.resolve(task(signal));
  } catch (error) {
    return Promise.reject(error);
  }
}
