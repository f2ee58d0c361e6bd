import type { DeviceHit } from '../domain/hunt-run';

/**
 * Whether a hit is the entity an expect.yaml names: its DeviceId, its DeviceName, the short name an
 * FQDN starts with (`ws-001` is `ws-001.contoso.local`), or for an Azure-Sentinel query's mapped entity
 * its value with or without the type (`Account:alice` or `alice`). Case-insensitive, as device names are.
 */
export function hitIsEntity(hit: DeviceHit, entity: string): boolean {
  const wanted = entity.trim().toLowerCase();
  const id = hit.deviceId.toLowerCase();
  const name = hit.deviceName.toLowerCase();
  const typed = /^[A-Za-z]+:(.+)$/.exec(hit.deviceId)?.[1]?.toLowerCase();
  return [id, name, name.split('.')[0], typed].includes(wanted);
}

/** How a hit is named in reports: its name, and its id when that says more. */
export function hitLabel(hit: DeviceHit): string {
  return hit.deviceId && hit.deviceId !== hit.deviceName ? `${hit.deviceName} (${hit.deviceId})` : hit.deviceName;
}
