/** One URL path segment built from untrusted text, such as an id read from query results. */

// URL parsers resolve these as "this folder" and "parent folder" even when percent-encoded
// (WHATWG URL Standard, single-dot and double-dot path segments), so no encoding can carry them.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** The text percent-encoded as a single segment, or undefined when no segment can carry it. */
export function pathSegment(text: string): string | undefined {
  if (text === '' || DOT_SEGMENT.test(text)) return undefined;
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone UTF-16 surrogate has no UTF-8 form, so it cannot be percent-encoded.
    return undefined;
  }
}
