/** A packaging failure with every problem found, so the user can fix them all in one go. */
export class PackagingError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'PackagingError';
  }
}
