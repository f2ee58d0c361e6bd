import { createHash } from 'node:crypto';
import type { KqlDiagnostic } from '../kql/types';
import type { QueryTimeWindow } from '../kql/time-window';
import { huntFromDocument } from './hunt-schema';
import type { BenignScenario, HuntDefinition } from '../domain/hunt-definition';
import { kqlDatetime } from './kql-literals';
import { exampleArguments } from './argument-types';
import { WINDOW_PARAMETERS, renderHuntQuery } from './render';
import { shownText } from './shown-text';
import { errorMessage } from '../util/error-message';
import { readBoundedYaml } from './bounded-yaml';
import type { YamlReader } from './builtin-yaml';

/** Parses and analyses KQL; an 'Error' diagnostic means the query cannot run. */
export type QueryChecker = (kql: string) => KqlDiagnostic[];

/** The official parser's tokens of a query, comments and whitespace (trivia) excluded. */
export type QueryTokenizer = (kql: string) => string[];

export type HuntFileResult = { ok: true; hunt: HuntDefinition } | { ok: false; reason: string };

/**
 * A fixed window for the load-time check: the rendered text must be valid for any real window too.
 * Its odd milliseconds make its literals ones no author writes by hand (see checkWindowTokens).
 */
const CHECK_WINDOW = { start: new Date('2026-01-01T00:00:00.017Z'), end: new Date('2026-01-01T23:00:00.019Z') };

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
    /**
     * When given, the window placeholders must survive as datetime tokens of the parsed query: a
     * `{{TimeStart}}` only inside a comment or a string would leave the hunt unbounded in time.
     */
    tokenize?: QueryTokenizer;
    /** Family for an Azure-Sentinel file, which names none (its folder's; default `hunts`). */
    family?: string;
    /** Where an Azure-Sentinel query writes its own window (default: this thread's parser). */
    findTimeWindow?: (kql: string) => QueryTimeWindow;
    /** Reads the file's YAML (default readBoundedYaml; the built-in hunts' values come from the build). */
    readYaml?: YamlReader;
  },
): HuntFileResult {
  const yaml = (context.readYaml ?? readBoundedYaml)(text);
  if (!yaml.ok) return yaml;
  const { hunt, problems } = huntFromDocument(yaml.value, source, context.defaultScenarios, { family: context.family, findTimeWindow: context.findTimeWindow });
  if (!hunt) return { ok: false, reason: problems.join('; ') };

  // Placeholder tokens only exist in the bot's format; an Azure-Sentinel query's window was found in its tree.
  const checkTokens = context.tokenize && hunt.format !== 'sentinel' ? context.tokenize : undefined;
  const queryProblem =
    checkRenderedQuery(hunt, context.checkQuery, context.withExclusionFilter) ?? (checkTokens && checkWindowTokens(hunt, checkTokens));
  return queryProblem ? { ok: false, reason: queryProblem } : { ok: true, hunt };
}

/**
 * The raw-text check in hunt-schema.ts sees `{{TimeStart}}` anywhere, comments included; here the
 * query rendered with the check window is parsed, and each window literal must be a real token.
 * The plain rendering is used: the exclusion filter carries a datetime of its own.
 */
export function checkWindowTokens(hunt: HuntDefinition, tokenize: QueryTokenizer): string | undefined {
  const tokens = tokenize(renderHuntQuery(hunt, { window: CHECK_WINDOW, arguments: exampleArguments(hunt) }));
  const literals: Record<(typeof WINDOW_PARAMETERS)[number], string> = { TimeStart: kqlDatetime(CHECK_WINDOW.start), TimeEnd: kqlDatetime(CHECK_WINDOW.end) };
  const problems: string[] = [];
  for (const name of WINDOW_PARAMETERS) {
    const uses = tokens.flatMap((token, index) => (token === literals[name] ? [index] : []));
    if (uses.length === 0) {
      problems.push(`field 'query' uses {{${name}}} only inside a comment or a string, so the requested window would not apply`);
    } else if (uses.every((index) => unusedLet(tokens, index))) {
      problems.push(`field 'query' puts {{${name}}} in a let that the query never uses, so the requested window would not apply`);
    }
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** True when the token at `index` is the whole value of `let Name = <it>;` and Name appears nowhere else. */
function unusedLet(tokens: readonly string[], index: number): boolean {
  if (tokens[index - 3] !== 'let' || tokens[index - 1] !== '=' || tokens[index + 1] !== ';') return false;
  const name = tokens[index - 2];
  return tokens.filter((token) => token === name).length === 1;
}

/**
 * Analyses the query as it runs, by default with the exclusion filter appended: any error in the
 * hunt's own text shows up there too, so one analysis covers both forms.
 */
function checkRenderedQuery(hunt: HuntDefinition, checkQuery: QueryChecker, withExclusionFilter: boolean): string | undefined {
  let kql: string;
  try {
    const plain = renderHuntQuery(hunt, { window: CHECK_WINDOW, arguments: exampleArguments(hunt) });
    kql = withExclusionFilter
      ? renderHuntQuery(hunt, {
          window: CHECK_WINDOW,
          arguments: exampleArguments(hunt),
          exclusions: { watchlistAlias: 'HuntExclusions', huntKey: `${hunt.family}/${hunt.tool}`, now: CHECK_WINDOW.end },
        })
      : plain;
  } catch (error) {
    return `query cannot be rendered: ${shownText(errorMessage(error), 160)}`;
  }
  const errors = cachedCheck(kql, checkQuery).filter((d) => d.severity === 'Error');
  if (errors.length === 0) return undefined;
  const detail = errors
    .slice(0, 3)
    .map((d) => `${d.code} at line ${d.line} column ${d.column}: ${shownText(d.message, 160)}`)
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
