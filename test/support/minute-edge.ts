/**
 * Relative windows end at the next whole minute, so two identical hunts share a result only when
 * both are asked within the same minute. A test that proves sharing waits out the last `needMs` of
 * a minute first, instead of failing whenever a busy machine carries it across the boundary.
 */
export async function awayFromMinuteEdge(needMs: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
