import { performance } from 'node:perf_hooks';

/**
 * How busy the main event loop has been since the process started, in milliseconds (Node's event loop
 * utilization). Cumulative, so a reader can take the difference over any interval it measures: the
 * share of a burst the loop spent working, against what it spent waiting.
 */
export function eventLoopUsage(): { activeMs: number; idleMs: number } {
  const { active, idle } = performance.eventLoopUtilization();
  return { activeMs: Math.round(active), idleMs: Math.round(idle) };
}
