import { createHash } from 'node:crypto';
import { GUID_PATTERN } from '../domain/cloud';

/**
 * Name-based UUID, version 5 (RFC 9562, SHA-1): the same name in the same namespace always gives the
 * same id (stable sample DeviceIds, idempotent watchlist item ids). Namespace first, as in the RFC.
 */
export function uuidV5(namespace: string, name: string): string {
  if (!GUID_PATTERN.test(namespace)) throw new Error(`Not a UUID namespace: "${namespace}"`);
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
