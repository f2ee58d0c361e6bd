export interface HuntFlightKeyInput {
  /** Backend name (and, for Log Analytics, ideally the workspace): results never cross backends. */
  backend: string;
  /** The hunts of the request, in the order they run. */
  huntIds: readonly string[];
  /** Values of the hunts' other parameters; key order does not matter. */
  parameters?: Readonly<Record<string, unknown>>;
  windowStart: Date | string;
  windowEnd: Date | string;
}

const MINUTE = 60_000;

/**
 * The single-flight key of a hunt run. The window is cut down to the minute, so two responders who
 * ask for "5d" within the same clock minute share one query.
 */
export function huntFlightKey(input: HuntFlightKeyInput): string {
  return JSON.stringify([
    input.backend,
    [...input.huntIds],
    canonical(input.parameters ?? {}),
    toMinute(input.windowStart, 'windowStart'),
    toMinute(input.windowEnd, 'windowEnd'),
  ]);
}

function toMinute(value: Date | string, name: string): string {
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`huntFlightKey: ${name} is not a date: ${String(value)}`);
  return new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();
}

/** The value with object keys sorted at every depth, so equal parameters give equal text. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item)]));
  }
  return value;
}
