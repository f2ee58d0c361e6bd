/**
 * A piece of a hunt file (a key, a placeholder name, an analyser message) as it may appear in a
 * problem, a log line or `validate` output: control, bidi and zero-width characters removed, and
 * cut short, so a hostile file cannot forge log lines or smuggle its content out through a name.
 */
export function shownText(text: string, maxChars = 60): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 1)}…` : clean;
}
