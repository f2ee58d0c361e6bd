/** Anything with a case-insensitive header lookup (core-rest-pipeline HttpHeaders, a Map wrapper). */
export interface HeaderLookup {
  get(name: string): string | undefined;
}

/**
 * How long the service asked us to wait, in milliseconds, or undefined if it did not say.
 * Azure services send `retry-after-ms` / `x-ms-retry-after-ms` (milliseconds) and the standard
 * `Retry-After` (delta seconds or an HTTP date); the millisecond forms are more precise, so win.
 */
export function parseRetryAfterMs(headers: HeaderLookup | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const raw = headers.get(name)?.trim();
    if (raw && /^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw));
  }
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
