/** What a process started from the Kusto parser's startup snapshot (scripts/parser-snapshot-entry.cjs) finds ready. */
import { runInThisContext } from 'node:vm';
import type { BridgeGlobalState } from './bridge-runtime';
import { PRELOADED_GLOBAL_STATES } from './kusto-globals';

/** The process's main global object (under jest, not the test file's sandbox). */
function mainGlobal(): Record<string, unknown> {
  return runInThisContext('globalThis') as Record<string, unknown>;
}

/** True in a process started from the parser's startup snapshot: the parser is loaded and the bundled schema's state built. */
export function parserPreloaded(): boolean {
  return mainGlobal()[PRELOADED_GLOBAL_STATES] !== undefined;
}

/** The GlobalState the parser's startup snapshot built for this catalog key, if this process started from one. */
export function preloadedGlobalState(key: string): BridgeGlobalState | undefined {
  return (mainGlobal()[PRELOADED_GLOBAL_STATES] as Record<string, BridgeGlobalState> | undefined)?.[key];
}

