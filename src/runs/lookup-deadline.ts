/**
 * A device lookup's overall deadline (HUNT_LOOKUP_DEADLINE_SECONDS): counted from when its "RMM tools
 * seen" signals start, after which no further signal is started. A signal already running finishes
 * within its own query time limit, so the section takes at most the deadline plus one query's limit.
 */
export class LookupDeadline {
  private readonly started: number;

  /** `seconds` undefined: no deadline. `clock`: milliseconds, monotonic (tests pass their own). */
  constructor(
    readonly seconds: number | undefined,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = clock();
  }

  /** True once the deadline has passed: start nothing more. */
  passed(): boolean {
    return this.seconds !== undefined && this.clock() - this.started >= this.seconds * 1000;
  }
}
