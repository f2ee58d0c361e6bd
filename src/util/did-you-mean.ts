/**
 * "Did you mean" for mistyped words (commands, hunt families, tools). One rule for all of them, in
 * src/util so that both src/commands and src/hunts can use it without importing each other.
 */

/** Edit distance counting an adjacent transposition as one edit ("hnut" → "hunt"), as typos go. Case-sensitive. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Shorter typed words share a prefix with too many candidates to mean anything. */
const MIN_PREFIX = 4;

/**
 * Up to `limit` candidates close to `word`, closest first (then alphabetical), compared case-insensitively:
 * within one edit per three typed characters (at least one), or sharing a prefix of 4+ characters with it
 * (`screen` → screenconnect; counts as one edit).
 */
export function didYouMean(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const typed = word.toLowerCase();
  const tolerance = Math.max(1, Math.floor(typed.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(typed, lower);
    const sharesPrefix = typed.length >= MIN_PREFIX && (lower.startsWith(typed) || typed.startsWith(lower));
    if (distance <= tolerance || sharesPrefix) scored.push({ candidate, score: sharesPrefix ? Math.min(distance, 1) : distance });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((s) => s.candidate);
}
