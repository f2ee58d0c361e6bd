/** The tenant a link should open in, if the caller named one. */
import type { PortalLinkOptions } from './portal-link-options';

export function tenantOf(options: PortalLinkOptions): string | undefined {
  const tenant = options.tenantId?.trim();
  return tenant ? tenant : undefined;
}
