import { searchKeyOf, type Exclusion } from './exclusion-store';
import { StoreWriteError } from './store-errors';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Rejects a tag that would store inconsistent data: a searchKey that does not match its hunt and
 * device would make the watchlist lookup (`SearchKey`) miss, silently un-excluding the device.
 */
export function assertValidExclusion(exclusion: Exclusion): void {
  const problems: string[] = [];
  if (!exclusion.huntKey) problems.push('huntKey is empty');
  if (!exclusion.deviceId) problems.push('deviceId is empty');
  if (exclusion.searchKey !== searchKeyOf(exclusion.huntKey, exclusion.deviceId)) {
    problems.push(`searchKey must be "${searchKeyOf(exclusion.huntKey, exclusion.deviceId)}"`);
  }
  if (!ISO_UTC.test(exclusion.taggedAtUtc)) problems.push('taggedAtUtc must be ISO 8601 UTC');
  if (exclusion.expiresAtUtc !== '' && !ISO_UTC.test(exclusion.expiresAtUtc)) {
    problems.push("expiresAtUtc must be ISO 8601 UTC or ''");
  }
  if (problems.length > 0) {
    throw new StoreWriteError('upsert', `Invalid exclusion: ${problems.join('; ')}`, {
      searchKey: exclusion.searchKey,
      transient: false,
      code: 'InvalidExclusion',
    });
  }
}
