import { uuidV5 } from '../util/uuid-v5';

/** RFC 4122 appendix C: the namespace for DNS names (used by the known test vector). */
export const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/**
 * Fixed namespace for watchlist item ids of this bot. Never change it: the item id of an existing
 * tag is derived from it, and a new namespace would turn every re-tag into a duplicate item.
 * (It is uuidv5(DNS_NAMESPACE, 'exclusions.sentinel-hunt-bot').)
 */
export const EXCLUSION_ITEM_NAMESPACE = '47533c36-17ba-596b-a839-7ac903252465';

/** The watchlist item id of a tag: the same searchKey always maps to the same item (idempotent PUT). */
export function exclusionItemId(searchKey: string): string {
  return uuidV5(EXCLUSION_ITEM_NAMESPACE, searchKey);
}
