import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import type { KqlDiagnostic } from '../kql/types';
import { huntFromDocument } from './hunt-schema';
import { renderHuntQuery } from './render';
import type { BenignScenario, HuntDefinition } from '../domain/hunt-definition';

/** Parses and analyses KQL; an 'Error' diagnostic means the query cannot run. */
export type QueryChecker = (kql: string) => KqlDiagnostic[];

export type HuntFileResult = { ok: true; hunt: HuntDefinition } | { ok: false; reason: string };

/** A fixed window for the load-time check: the rendered text must be valid for any real window too. */
const CHECK_WINDOW = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-01-02T00:00:00Z') };

/** Analysis results by query text: the catalog is often loaded more than once per process (tests, validate). */
const checkedQueries = new WeakMap<QueryChecker, Map<string, KqlDiagnostic[]>>();

/**
 * Validates one hunt file: YAML syntax, the field schema and placeholders, then the KQL itself (rendered
 * with a sample window, with and without the exclusion filter) through the official analyser.
 */
export function loadHuntFile(
  text: string,
  source: string,
  context: {
    defaultScenarios: readonly BenignScenario[];
    checkQuery: QueryChecker;
    /**
     * Also analyse the query with the exclusion filter appended (about twice the cost). Needed for
     * user files; the built-in hunts' filtered form is covered by the test suite instead.
     */
    withExclusionFilter: boolean;
  },
): HuntFileResult {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return { ok: false, reason: `invalid YAML: ${document.errors.map((e) => e.message.split('\n')[0]).join('; ')}` };
  }
  const { hunt, problems } = huntFromDocument(document.toJS(), source, context.defaultScenarios);
  if (!hunt) return { ok: false, reason: problems.join('; ') };

  const queryProblem = checkRenderedQuery(hunt, context.checkQuery, context.withExclusionFilter);
  return queryProblem ? { ok: false, reason: queryProblem } : { ok: true, hunt };
}

/**
 * Analyses the query as it runs, by default with the exclusion filter appended: any error in the
 * hunt's own text shows up there too, so one analysis covers both forms.
 */
function checkRenderedQuery(hunt: HuntDefinition, checkQuery: QueryChecker, withExclusionFilter: boolean): string | undefined {
  let kql: string;
  try {
    const plain = renderHuntQuery(hunt, { window: CHECK_WINDOW });
    kql = withExclusionFilter
      ? renderHuntQuery(hunt, {
          window: CHECK_WINDOW,
          exclusions: { watchlistAlias: 'HuntExclusions', huntKey: `${hunt.family}/${hunt.tool}`, now: CHECK_WINDOW.end },
        })
      : plain;
  } catch (error) {
    return `query cannot be rendered: ${(error as Error).message}`;
  }
  const errors = cachedCheck(kql, checkQuery).filter((d) => d.severity === 'Error');
  if (errors.length === 0) return undefined;
  const detail = errors
    .slice(0, 3)
    .map((d) => `${d.code} at line ${d.line} column ${d.column}: ${d.message}`)
    .join('; ');
  return `query does not pass KQL analysis: ${detail}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`;
}

function cachedCheck(kql: string, checkQuery: QueryChecker): KqlDiagnostic[] {
  let cache = checkedQueries.get(checkQuery);
  if (!cache) checkedQueries.set(checkQuery, (cache = new Map()));
  const key = createHash('sha256').update(kql).digest('hex');
  let diagnostics = cache.get(key);
  if (!diagnostics) {
    diagnostics = checkQuery(kql);
    cache.set(key, diagnostics);
  }
  return diagnostics;
}
