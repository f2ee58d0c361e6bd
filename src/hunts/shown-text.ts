import { cleanName } from '../text/display-text';

/**
 * A piece of a hunt file (a key, a placeholder name, an analyser message) as it may appear in a
 * problem, a log line or `validate` output: control, bidi and zero-width characters removed, line breaks made spaces, and
 * cut short, so a hostile file cannot forge log lines or smuggle its content out through a name.
 */
export function shownText(text: string, maxChars = 60): string {
  const clean = cleanName(text);
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 1)}…` : clean;
}
