import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { CredentialChoice } from './credential-choice';

/**
 * Builds the TokenCredential every Azure client of the bot shares (token caching lives inside it), as
 * loadConfig chose it. The default chain reads its own standard variables (AZURE_TENANT_ID,
 * AZURE_CLIENT_SECRET, AZURE_FEDERATED_TOKEN_FILE, IDENTITY_ENDPOINT, …) from process.env: @azure/identity
 * takes no environment object, and those secrets never pass through our configuration.
 */
export function createCredential(choice: CredentialChoice): TokenCredential {
  if (choice.kind === 'managed-identity') return new ManagedIdentityCredential({ clientId: choice.clientId });
  return new DefaultAzureCredential({ authorityHost: choice.authorityHost });
}
