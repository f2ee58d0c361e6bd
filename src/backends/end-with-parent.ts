import { Worker } from 'node:worker_threads';

/** How often the guard looks whether the process that started this one is still running. */
const CHECK_EVERY_MS = 1_000;

/** The guard's code: plain JavaScript, so it runs the same built or from source. */
const GUARD = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL');
}, workerData.everyMs);
`;

/**
 * Ends this process (SIGKILL) once the process that started it is gone (its children are handed to
 * another parent), even while this process's main thread is stuck in one long computation: the guard
 * looks from a small thread of its own. Without it, a child that leaves only on its IPC channel's
 * 'disconnect' outlives a parent killed while the child is busy (SIGKILL, the OOM killer, a second
 * SIGTERM) for as long as it stays busy, forever for a stuck one.
 */
export function endWithParent(): void {
  const guard = new Worker(GUARD, {
    eval: true,
    workerData: { parent: process.ppid, everyMs: CHECK_EVERY_MS },
    // No heap ceiling, small as its work is: a thread of a process started from the parser's snapshot
    // needs more to start than it seems (16 MB: out of memory in 6 starts of 10; 8 MB aborts the process).
  });
  // Best effort: a guard that could not start leaves the 'disconnect' exit, not a crash of the process it guards.
  guard.on('error', () => undefined);
  guard.unref();
}
