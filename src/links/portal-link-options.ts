/**
 * Options shared by every portal link. The cloud names are the ones AZURE_CLOUD accepts
 * (see src/azure/cloud.ts), so the link host always matches the cloud the bot queried.
 */

export type PortalCloud = 'AzurePublicCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface PortalLinkOptions {
  /** Which sovereign portal to link to; the public cloud when omitted. */
  cloud?: PortalCloud;
  /** Entra tenant (GUID or verified domain) the portal should open in; omitted from the link when absent. */
  tenantId?: string;
  /** The hunt window, so the portal's time picker matches what the bot ran. */
  window?: { start: Date; end: Date };
}
