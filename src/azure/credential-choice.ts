import type { EnvLike } from './cloud';

export interface CredentialSettings {
  /** From readAzureCloudSettings: the Entra ID host of the chosen cloud. */
  authorityHost: string;
  /** The variables that decide the credential (AZURE_CLIENT_ID and the service principal's); read by loadConfig. */
  env: EnvLike;
}

export type CredentialChoice =
  | { kind: 'managed-identity'; clientId: string }
  | { kind: 'default-chain'; authorityHost: string; reason: string };

function value(env: EnvLike, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/**
 * Decides which credential to build (kept apart from @azure/identity so configuration loads without it).
 * In App Service a user-assigned managed identity is the deterministic choice (AZURE_CLIENT_ID names it).
 * But AZURE_CLIENT_ID is also how a service principal or workload identity is configured; when a secret,
 * certificate or federated token file is present beside it, the default chain's
 * EnvironmentCredential/WorkloadIdentityCredential is what the operator meant, so we do not force managed
 * identity there.
 */
export function chooseCredential(settings: CredentialSettings): CredentialChoice {
  const clientId = value(settings.env, 'AZURE_CLIENT_ID');
  const servicePrincipal =
    value(settings.env, 'AZURE_CLIENT_SECRET') ??
    value(settings.env, 'AZURE_CLIENT_CERTIFICATE_PATH') ??
    value(settings.env, 'AZURE_FEDERATED_TOKEN_FILE');
  if (clientId && !servicePrincipal) return { kind: 'managed-identity', clientId };
  return {
    kind: 'default-chain',
    authorityHost: settings.authorityHost,
    reason: clientId ? 'AZURE_CLIENT_ID with a service principal or workload identity' : 'no AZURE_CLIENT_ID',
  };
}

/** A one-line, secret-free description for start-up logs and /healthz. */
export function describeCredentialChoice(choice: CredentialChoice): string {
  return choice.kind === 'managed-identity'
    ? `user-assigned managed identity (client id ${choice.clientId})`
    : `DefaultAzureCredential via ${choice.authorityHost} (${choice.reason})`;
}
