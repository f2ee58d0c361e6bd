/** Links into the Microsoft Defender portal: a device's page and advanced hunting with a query. */
import { decodeAdvancedHuntingQueryValue, encodeAdvancedHuntingQuery } from './advanced-hunting-query';
import { timeRangeIdFor } from './defender-time-range';
import { isUsableWindow } from './hunt-window';
import { withinLinkLimit } from './link-length';
import type { PortalLinkOptions } from './portal-link-options';
import { pathSegment } from './path-segment';
import { defenderPortal } from './portal-hosts';
import { tenantOf } from './tenant-id';

/**
 * The device page for a Defender DeviceId: `/machines/v2/{id}/overview`, plus `?tid=` when a tenant
 * is given. Neither is in Microsoft's documentation. `/machines/v2/{id}/overview` is the path open
 * tools link device pages to (older links use `/machines/{id}`), and `tid=` is how they pick the
 * tenant for users who belong to several (e.g. Maester's `machines/v2/{DeviceId}?tid={TenantId}`).
 */
export function deviceLink(deviceId: string, options: PortalLinkOptions = {}): string | undefined {
  const portal = defenderPortal(options.cloud);
  const id = pathSegment(deviceId.trim());
  if (portal === undefined || id === undefined) return undefined;
  const tenant = tenantOf(options);
  const search = tenant === undefined ? '' : `?${new URLSearchParams({ tid: tenant }).toString()}`;
  return withinLinkLimit(`${portal}/machines/v2/${id}/overview${search}`);
}

/**
 * Advanced hunting with the query in the editor: `/v2/advanced-hunting?query=…&timeRangeId=…&tid=…`
 * (format: see advanced-hunting-query.ts and defender-time-range.ts). Undefined when the cloud has
 * no Defender portal, the query is blank, the window is unusable or the link is too long.
 */
export function advancedHuntingLink(kql: string, options: PortalLinkOptions = {}): string | undefined {
  const portal = defenderPortal(options.cloud);
  if (portal === undefined || kql.trim() === '') return undefined;
  if (options.window !== undefined && !isUsableWindow(options.window)) return undefined;
  const url = new URL(`${portal}/v2/advanced-hunting`);
  url.searchParams.set('query', encodeAdvancedHuntingQuery(kql));
  if (options.window !== undefined) url.searchParams.set('timeRangeId', timeRangeIdFor(options.window));
  const tenant = tenantOf(options);
  if (tenant !== undefined) url.searchParams.set('tid', tenant);
  return withinLinkLimit(url.toString());
}

/** The KQL in an advanced hunting link, or undefined when the link carries none. */
export function decodeAdvancedHuntingQuery(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  const value = url.searchParams.get('query');
  return value === null ? undefined : decodeAdvancedHuntingQueryValue(value);
}
