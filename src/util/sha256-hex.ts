import { createHash } from 'node:crypto';

/** The SHA-256 of a text, as hex: how the build's kept files name the source texts they stand for. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
