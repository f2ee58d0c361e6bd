import { createHash } from 'node:crypto';

/** RFC 4122 name-based UUID, version 5 (SHA-1). Written by hand to avoid a dependency for 15 lines. */

/** RFC 4122 appendix C: the namespace for DNS names (used by the known test vector). */
export const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/**
 * Fixed namespace for watchlist item ids of this bot. Never change it: the item id of an existing
 * tag is derived from it, and a new namespace would turn every re-tag into a duplicate item.
 * (It is uuidv5(DNS_NAMESPACE, 'exclusions.sentinel-hunt-bot').)
 */
export const EXCLUSION_ITEM_NAMESPACE = '47533c36-17ba-596b-a839-7ac903252465';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidBytes(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new Error(`Not a UUID: "${uuid}"`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The watchlist item id of a tag: the same searchKey always maps to the same item (idempotent PUT). */
export function exclusionItemId(searchKey: string): string {
  return uuidV5(EXCLUSION_ITEM_NAMESPACE, searchKey);
}
