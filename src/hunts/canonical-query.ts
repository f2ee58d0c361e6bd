import { DEFAULT_WATCHLIST_ALIAS, type HuntDefinition } from '../domain/hunt-definition';
import { exampleArguments } from './argument-types';
import { renderHuntQuery } from './render';

/** Which of a hunt's query shapes: with the benign-tag filter, and scoped to one device. */
export interface CanonicalShape {
  withTags: boolean;
  scoped: boolean;
  watchlistAlias?: string;
}

/**
 * The text the parser is asked about for one shape of a hunt's query. Runs differ only in the typed
 * literals that kql-literals.ts writes (window, now, the scoped device), which cannot change the verdict,
 * so the verdict on this fixed rendering stands for every run of that shape: the runner asks it once per
 * hunt and shape, and the build keeps it for the built-in device-tools hunts (builtin-verdicts.ts).
 */
export function canonicalHuntQuery(hunt: HuntDefinition, shape: CanonicalShape): string {
  const end = new Date('2024-01-31T00:00:00Z');
  const window = { start: new Date(end.getTime() - Math.min(hunt.maxWindowMs, 86_400_000)), end };
  const exclusions = shape.withTags ? { watchlistAlias: shape.watchlistAlias ?? DEFAULT_WATCHLIST_ALIAS, huntKey: 'family/tool', now: end, mode: 'mark' as const } : undefined;
  const scope = shape.scoped ? { device: 'device-name' } : undefined;
  return renderHuntQuery(hunt, { window, exclusions, scope, arguments: exampleArguments(hunt) });
}
