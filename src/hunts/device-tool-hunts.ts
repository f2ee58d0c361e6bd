import type { HuntDefinition } from '../domain/hunt-definition';

/** `lookup device` also names every tool of this family seen on the device (its "RMM tools seen" section). */
export const DEVICE_TOOLS_FAMILY = 'rmm';

/** The hunts a device lookup runs scoped to the device: its family's, but Azure-Sentinel hunting queries (no device scope). */
export function deviceToolHunts(hunts: readonly HuntDefinition[]): HuntDefinition[] {
  return hunts.filter((h) => h.family === DEVICE_TOOLS_FAMILY && h.format !== 'sentinel');
}
