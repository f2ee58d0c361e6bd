/** The Azure clouds the bot can talk to (AZURE_CLOUD). */
export type AzureCloudName = 'AzurePublicCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

/** A GUID as Entra and ARM write them (tenant, app, subscription and workspace ids). */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
