import type { Exclusion } from './exclusion-store';

/**
 * The watchlist's columns (itemsKeyValue keys), in the order of EXCLUSION_WATCHLIST_COLUMNS in
 * src/kql/schema.ts. `SearchKey` is the itemsSearchKey, so `_GetWatchlist(alias)` joins on it.
 */
export const WATCHLIST_SEARCH_KEY_COLUMN = 'SearchKey';

export type ExclusionItemsKeyValue = Record<
  | 'SearchKey'
  | 'HuntKey'
  | 'DeviceId'
  | 'DeviceName'
  | 'Scenario'
  | 'Justification'
  | 'TaggedByUpn'
  | 'TaggedByAadObjectId'
  | 'TaggedByName'
  | 'TaggedAtUtc'
  | 'ExpiresAtUtc',
  string
>;

export function toItemsKeyValue(e: Exclusion): ExclusionItemsKeyValue {
  return {
    SearchKey: e.searchKey,
    HuntKey: e.huntKey,
    DeviceId: e.deviceId,
    DeviceName: e.deviceName,
    Scenario: e.scenario,
    Justification: e.justification,
    TaggedByUpn: e.taggedByUpn,
    TaggedByAadObjectId: e.taggedByAadObjectId,
    TaggedByName: e.taggedByName,
    TaggedAtUtc: e.taggedAtUtc,
    ExpiresAtUtc: e.expiresAtUtc,
  };
}

function text(kv: Record<string, unknown>, key: string): string {
  const value = kv[key];
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/**
 * Reads an item back. Returns undefined for rows the bot did not write (a watchlist created in the
 * portal starts with a default entry; people may add rows by hand), so they never become tags.
 */
export function fromItemsKeyValue(kv: Record<string, unknown> | undefined): Exclusion | undefined {
  if (!kv) return undefined;
  const searchKey = text(kv, 'SearchKey');
  const huntKey = text(kv, 'HuntKey');
  const deviceId = text(kv, 'DeviceId');
  if (!searchKey || !huntKey || !deviceId) return undefined;
  return {
    searchKey,
    huntKey,
    deviceId,
    deviceName: text(kv, 'DeviceName'),
    scenario: text(kv, 'Scenario'),
    justification: text(kv, 'Justification'),
    taggedByUpn: text(kv, 'TaggedByUpn'),
    taggedByAadObjectId: text(kv, 'TaggedByAadObjectId'),
    taggedByName: text(kv, 'TaggedByName'),
    taggedAtUtc: text(kv, 'TaggedAtUtc'),
    expiresAtUtc: text(kv, 'ExpiresAtUtc'),
  };
}
