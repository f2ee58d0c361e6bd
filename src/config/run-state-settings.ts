import { envValue, type Env } from './env';

export const STATE_CONNECTION_STRING = 'HUNT_STATE_BLOB_CONNECTION_STRING';
export const STATE_CONTAINER = 'HUNT_STATE_BLOB_CONTAINER';

/** Where run state lives: this process's memory, or an Azure Blob Storage container every instance shares. */
export type RunStateSettings = { kind: 'memory' } | { kind: 'azure-blob'; connectionString: string; container: string };

/** Blob container names: 3-63 characters, lowercase letters, digits and single hyphens, letter or digit at both ends. */
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/** Blob state when both variables are set, memory when neither is; anything else is a problem. */
export function readRunStateSettings(env: Env, problems: string[]): RunStateSettings {
  const connectionString = envValue(env, STATE_CONNECTION_STRING);
  const container = envValue(env, STATE_CONTAINER);
  if (connectionString === undefined && container === undefined) return { kind: 'memory' };
  const before = problems.length;
  if (connectionString === undefined) problems.push(`${STATE_CONNECTION_STRING} is not set; it must be set together with ${STATE_CONTAINER}`);
  if (container === undefined) problems.push(`${STATE_CONTAINER} is not set; it must be set together with ${STATE_CONNECTION_STRING}`);
  if (container !== undefined && !CONTAINER_NAME.test(container))
    problems.push(`${STATE_CONTAINER} must be 3-63 lowercase letters, digits or single hyphens, starting and ending with a letter or digit (got "${container}")`);
  const unusable = connectionString === undefined ? undefined : connectionStringProblem(connectionString);
  // Never quote the connection string: it holds the account key.
  if (unusable) problems.push(`${STATE_CONNECTION_STRING} is not a usable storage connection string: ${unusable}`);
  if (problems.length > before || connectionString === undefined || container === undefined) return { kind: 'memory' };
  return { kind: 'azure-blob', connectionString, container };
}

/**
 * What @azure/storage-blob (12.x, extractConnectionStringParts) would refuse when the store is built, checked
 * here so it is reported with every other problem: the emulator shorthand; an account key string (account
 * name and key, and a blob endpoint or protocol plus endpoint suffix); or a SAS string (blob endpoint and SAS).
 */
function connectionStringProblem(connectionString: string): string | undefined {
  if (connectionString.startsWith('UseDevelopmentStorage=true')) return undefined;
  const parts = new Map<string, string>();
  for (const element of connectionString.split(';')) {
    const at = element.indexOf('=');
    if (at > 0) parts.set(element.slice(0, at).trim(), element.slice(at + 1).trim());
  }
  const has = (name: string) => (parts.get(name) ?? '') !== '';
  if (connectionString.includes('DefaultEndpointsProtocol=') && connectionString.includes('AccountKey=')) {
    if (!has('AccountName')) return 'AccountName is missing';
    if (Buffer.from(parts.get('AccountKey') ?? '', 'base64').length === 0) return 'AccountKey is missing or not base64';
    if (has('BlobEndpoint')) return undefined;
    if (!/^https?$/i.test(parts.get('DefaultEndpointsProtocol') ?? '')) return "DefaultEndpointsProtocol must be 'https' or 'http'";
    return has('EndpointSuffix') ? undefined : 'EndpointSuffix (or BlobEndpoint) is missing';
  }
  if (!has('BlobEndpoint')) return 'it needs DefaultEndpointsProtocol, AccountName and AccountKey, or BlobEndpoint and SharedAccessSignature';
  return has('SharedAccessSignature') ? undefined : 'SharedAccessSignature is missing beside BlobEndpoint';
}
