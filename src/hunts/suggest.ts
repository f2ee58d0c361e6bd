/** "Did you mean" for mistyped command words. */

/** Levenshtein distance (insert, delete, substitute), case-sensitive; callers lower-case first. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Candidates close to `word`: within an edit distance that grows with the word's length (a third of it,
 * at least 2), or sharing a prefix of 4+ characters (`screen` → screenmeet), closest first.
 */
export function suggestWords(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const typed = word.toLowerCase();
  const allowed = Math.max(2, Math.floor(typed.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    const distance = editDistance(typed, candidate.toLowerCase());
    const sharesPrefix = typed.length >= 4 && (candidate.startsWith(typed) || typed.startsWith(candidate));
    if (distance <= allowed || sharesPrefix) scored.push({ candidate, score: sharesPrefix ? Math.min(distance, 1) : distance });
  }
  return scored
    .sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate))
    .slice(0, limit)
    .map((s) => s.candidate);
}
