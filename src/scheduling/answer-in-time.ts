/** A promise's value when it settles within the time given; otherwise the promise, to be finished later. */
export type InTimeOrLater<T> = { inTime: true; value: T } | { inTime: false; later: Promise<T> };

/** Waits at most `ms` for `work`, which goes on either way; a rejection within that time is passed on as is. */
export async function answerInTime<T>(work: Promise<T>, ms: number): Promise<InTimeOrLater<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, ms));
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), late]);
    return first === 'late' ? { inTime: false, later: work } : { inTime: true, value: first.value };
  } finally {
    clearTimeout(timer);
  }
}
