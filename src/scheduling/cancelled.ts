import { QueryFailure } from '../domain/query-failure';

/** The failure a caller sees when its own signal (a `cancel`, a shutdown) ended its wait or its work. */
export function cancelledFailure(message: string): QueryFailure {
  return new QueryFailure('cancelled', message);
}
