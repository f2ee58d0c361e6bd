/**
 * KQL's `has` (whole-term, case-insensitive match), for the sample generator's own bookkeeping: it
 * checks that planted values match their hunt and that look-alikes do not. A term is a maximal run of
 * letters and digits; the needle must appear with no letter or digit directly before or after it.
 */
const TERM_CHAR = /[\p{L}\p{N}]/u;

export function kqlHas(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  const text = haystack.toLowerCase();
  const term = needle.toLowerCase();
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + term.length] ?? '';
    const boundedBefore = !TERM_CHAR.test(term[0]) || before === '' || !TERM_CHAR.test(before);
    const boundedAfter = !TERM_CHAR.test(term[term.length - 1]) || after === '' || !TERM_CHAR.test(after);
    if (boundedBefore && boundedAfter) return true;
  }
  return false;
}
