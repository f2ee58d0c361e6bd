/** Portal hosts per cloud. Each entry cites the page that documents it. */
import type { PortalCloud } from './portal-link-options';

/**
 * Microsoft Defender portal. Public: https://security.microsoft.com. GCC High:
 * https://security.microsoft.us ("Microsoft Defender for Endpoint for US Government customers",
 * Portal URLs table, MicrosoftDocs/defender-docs defender-endpoint/gov.md). That page also lists GCC
 * on security.microsoft.com and DoD on security.apps.mil, which one cloud name cannot tell apart;
 * AzureUSGovernment maps to GCC High.
 * No Defender portal operated by 21Vianet is documented, so China gets no Defender links.
 */
const DEFENDER_PORTAL: Readonly<Record<PortalCloud, string | undefined>> = {
  AzurePublicCloud: 'https://security.microsoft.com',
  AzureUSGovernment: 'https://security.microsoft.us',
  AzureChinaCloud: undefined,
};

/**
 * Azure portal: "Azure portal endpoints" table in "Translator in sovereign (national) clouds"
 * (learn.microsoft.com/azure/ai-services/translator/sovereign-clouds) lists portal.azure.us and
 * portal.azure.cn.
 */
const AZURE_PORTAL: Readonly<Record<PortalCloud, string>> = {
  AzurePublicCloud: 'https://portal.azure.com',
  AzureUSGovernment: 'https://portal.azure.us',
  AzureChinaCloud: 'https://portal.azure.cn',
};

export function defenderPortal(cloud: PortalCloud = 'AzurePublicCloud'): string | undefined {
  return DEFENDER_PORTAL[cloud];
}

export function azurePortal(cloud: PortalCloud = 'AzurePublicCloud'): string {
  return AZURE_PORTAL[cloud];
}
