/** Levenshtein distance, bounded for short command words. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

/** Up to `limit` candidates close to `word`, nearest first (prefix matches count as close). */
export function didYouMean(word: string, candidates: readonly string[], limit = 3): string[] {
  const w = word.toLowerCase();
  const tolerance = Math.max(1, Math.floor(w.length / 3));
  return candidates
    .map((c) => ({ c, d: c.toLowerCase().startsWith(w) && w.length >= 3 ? 0.5 : editDistance(w, c.toLowerCase()) }))
    .filter((x) => x.d <= tolerance)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map((x) => x.c);
}
