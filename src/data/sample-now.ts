/** An hour in ms. */
export const HOUR = 3_600_000;

/**
 * The sample data's default "now": the start of the clock's UTC hour. The bot and the CLI (`gen-data`,
 * `query`) started within the same hour thus generate the same rows, timestamps included, for a seed.
 * Recent activity lies 1–48 h before it, so hunts over the default 5-day window up to the real now see it.
 * A module of its own so `huntbot query` knows it without loading the generator.
 */
export function sampleNow(clock: Date = new Date()): Date {
  return new Date(Math.floor(clock.getTime() / HOUR) * HOUR);
}
