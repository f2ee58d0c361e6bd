import { types } from 'node:util';

/**
 * The message of anything thrown: an Error's message, or the thrown value as text. Errors made in another
 * realm (Node's own, seen from a vm context such as a test sandbox) are not `instanceof Error` but are errors.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error || types.isNativeError(error) ? error.message : String(error);
}
