/** What a process started from the Kusto parser's startup snapshot (scripts/parser-snapshot-entry.cjs) finds ready. */
import { type BridgeGlobalState, mainGlobal } from './bridge-runtime';
import { PRELOADED_GLOBAL_STATES } from './kusto-globals';

/** Where the snapshot's builder leaves its GlobalStates on the main global object. */
function preloaded(): Record<string, BridgeGlobalState> | undefined {
  return (mainGlobal() as unknown as Record<string, Record<string, BridgeGlobalState> | undefined>)[PRELOADED_GLOBAL_STATES];
}

/** True in a process started from the parser's startup snapshot: the parser is loaded and the bundled schema's state built. */
export function parserPreloaded(): boolean {
  return preloaded() !== undefined;
}

/** The GlobalState the parser's startup snapshot built for this catalog key, if this process started from one. */
export function preloadedGlobalState(key: string): BridgeGlobalState | undefined {
  return preloaded()?.[key];
}

