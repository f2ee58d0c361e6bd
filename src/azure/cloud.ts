/**
 * Which Azure cloud the bot talks to: the Log Analytics query endpoint and its token scope, the ARM
 * endpoint and its scope, and the Entra ID authority host. Sovereign clouds differ in all three, and a
 * token minted for one cloud's audience is refused by another's service, so they are chosen together.
 */

import type { AzureCloudName } from '../domain/cloud';

export interface ServiceEndpoint {
  /** Base URL. For Log Analytics it includes the `/v1` path, because the SDK uses it verbatim. */
  endpoint: string;
  /** OAuth scope a token for this service is requested with (`<audience>/.default`). */
  scope: string;
  /**
   * True when the endpoint is plain http on a loopback host: a local emulator. Only then may clients
   * send a bearer token without TLS; the Azure SDK refuses that otherwise.
   */
  insecureLocalEndpoint: boolean;
}

/** Microsoft Graph, for Defender XDR advanced hunting (`POST /v1.0/security/runHuntingQuery`). */
export interface GraphEndpoint extends ServiceEndpoint {
  /** Whether this cloud's Graph offers runHuntingQuery (the reference page lists no 21Vianet support). */
  advancedHunting: boolean;
}

export interface AzureCloudSettings {
  cloud: AzureCloudName;
  logAnalytics: ServiceEndpoint;
  arm: ServiceEndpoint;
  /** Microsoft Graph root (no version path) and its token scope. */
  graph: GraphEndpoint;
  /** Entra ID authority host for @azure/identity, e.g. https://login.microsoftonline.us. */
  authorityHost: string;
}

/** A read-only view of environment variables (same shape as the config module's Env). */
export type EnvLike = Readonly<Record<string, string | undefined>>;

export interface AzureCloudSettingsResult {
  /** Always filled (public-cloud defaults stand in for invalid values), so callers can collect every problem. */
  settings: AzureCloudSettings;
  /** Human-readable problems; empty when the settings are valid. */
  errors: string[];
}

interface CloudDefaults {
  logAnalyticsEndpoint: string;
  logAnalyticsAudience: string;
  armEndpoint: string;
  graphEndpoint: string;
  graphAdvancedHunting: boolean;
  authorityHost: string;
}

const CLOUDS: Readonly<Record<AzureCloudName, CloudDefaults>> = {
  AzurePublicCloud: {
    logAnalyticsEndpoint: 'https://api.loganalytics.io/v1',
    logAnalyticsAudience: 'https://api.loganalytics.io',
    armEndpoint: 'https://management.azure.com',
    graphEndpoint: 'https://graph.microsoft.com',
    graphAdvancedHunting: true,
    authorityHost: 'https://login.microsoftonline.com',
  },
  AzureUSGovernment: {
    logAnalyticsEndpoint: 'https://api.loganalytics.us/v1',
    logAnalyticsAudience: 'https://api.loganalytics.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    // GCC High (L4); DoD (L5) tenants set GRAPH_ENDPOINT=https://dod-graph.microsoft.us.
    graphEndpoint: 'https://graph.microsoft.us',
    graphAdvancedHunting: true,
    authorityHost: 'https://login.microsoftonline.us',
  },
  AzureChinaCloud: {
    logAnalyticsEndpoint: 'https://api.loganalytics.azure.cn/v1',
    logAnalyticsAudience: 'https://api.loganalytics.azure.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
    graphAdvancedHunting: false,
    authorityHost: 'https://login.chinacloudapi.cn',
  },
};

/**
 * Every Microsoft Graph national deployment's root. A token for Graph must name the root it is sent to
 * ("https://dod-graph.microsoft.us/.default" for DoD), so an override to one of these takes its scope
 * too; any other override (a local emulator, a proxy) keeps the cloud's scope.
 */
const GRAPH_ROOTS: ReadonlySet<string> = new Set([
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
]);

/** Accepted spellings, lower-cased. `AzureCloud` is what `az cloud list` calls the public cloud. */
const CLOUD_ALIASES: Readonly<Record<string, AzureCloudName>> = {
  azurepubliccloud: 'AzurePublicCloud',
  azurecloud: 'AzurePublicCloud',
  azureusgovernment: 'AzureUSGovernment',
  azurechinacloud: 'AzureChinaCloud',
};

function value(env: EnvLike, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Validates an endpoint override. Plain http is accepted only for loopback hosts, which is how a
 * local emulator is configured explicitly; anything else must be https.
 */
function endpointOverride(
  name: string,
  raw: string,
  errors: string[],
  normalisePath: (url: URL) => void,
): { endpoint: string; insecure: boolean } | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    errors.push(`${name} must be an absolute URL (got "${raw}")`);
    return undefined;
  }
  if (url.search || url.hash) {
    errors.push(`${name} must not carry a query string or fragment (got "${raw}")`);
    return undefined;
  }
  const insecure = url.protocol === 'http:';
  if (insecure && !isLoopbackHost(url.hostname)) {
    errors.push(`${name} may use plain http only for a local emulator on 127.0.0.1 or localhost (got "${raw}")`);
    return undefined;
  }
  if (!insecure && url.protocol !== 'https:') {
    errors.push(`${name} must be an https URL (got "${raw}")`);
    return undefined;
  }
  normalisePath(url);
  return { endpoint: url.toString().replace(/\/+$/, ''), insecure };
}

/**
 * Reads AZURE_CLOUD and the optional overrides LOG_ANALYTICS_ENDPOINT, ARM_ENDPOINT, GRAPH_ENDPOINT and
 * AZURE_AUTHORITY_HOST. Overriding an endpoint does not change the token scope: an emulator or a
 * private link still expects a token for the cloud's audience.
 */
export function readAzureCloudSettings(env: EnvLike): AzureCloudSettingsResult {
  const errors: string[] = [];

  const rawCloud = value(env, 'AZURE_CLOUD');
  let cloud: AzureCloudName = 'AzurePublicCloud';
  if (rawCloud !== undefined) {
    const known = CLOUD_ALIASES[rawCloud.toLowerCase()];
    if (known) cloud = known;
    else errors.push(`AZURE_CLOUD must be AzurePublicCloud, AzureUSGovernment or AzureChinaCloud (got "${rawCloud}")`);
  }
  const defaults = CLOUDS[cloud];

  const logAnalytics: ServiceEndpoint = {
    endpoint: defaults.logAnalyticsEndpoint,
    scope: `${defaults.logAnalyticsAudience}/.default`,
    insecureLocalEndpoint: false,
  };
  const rawLa = value(env, 'LOG_ANALYTICS_ENDPOINT');
  if (rawLa !== undefined) {
    // The SDK needs the API version in the path; a bare host gets the documented /v1.
    const parsed = endpointOverride('LOG_ANALYTICS_ENDPOINT', rawLa, errors, (url) => {
      if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
    });
    if (parsed) {
      logAnalytics.endpoint = parsed.endpoint;
      logAnalytics.insecureLocalEndpoint = parsed.insecure;
    }
  }

  const arm: ServiceEndpoint = {
    endpoint: defaults.armEndpoint,
    scope: `${defaults.armEndpoint}/.default`,
    insecureLocalEndpoint: false,
  };
  const rawArm = value(env, 'ARM_ENDPOINT');
  if (rawArm !== undefined) {
    const parsed = endpointOverride('ARM_ENDPOINT', rawArm, errors, () => undefined);
    if (parsed) {
      arm.endpoint = parsed.endpoint;
      arm.insecureLocalEndpoint = parsed.insecure;
    }
  }

  const graph: GraphEndpoint = {
    endpoint: defaults.graphEndpoint,
    scope: `${defaults.graphEndpoint}/.default`,
    insecureLocalEndpoint: false,
    advancedHunting: defaults.graphAdvancedHunting,
  };
  const rawGraph = value(env, 'GRAPH_ENDPOINT');
  if (rawGraph !== undefined) {
    // The root only: the client adds /v1.0 itself, so a pasted ".../v1.0" is taken off again.
    const parsed = endpointOverride('GRAPH_ENDPOINT', rawGraph, errors, (url) => {
      url.pathname = url.pathname.replace(/\/v1\.0\/?$/i, '/');
    });
    if (parsed) {
      graph.endpoint = parsed.endpoint;
      graph.insecureLocalEndpoint = parsed.insecure;
      if (GRAPH_ROOTS.has(parsed.endpoint.toLowerCase())) graph.scope = `${parsed.endpoint.toLowerCase()}/.default`;
    }
  }

  let authorityHost = defaults.authorityHost;
  const rawAuthority = value(env, 'AZURE_AUTHORITY_HOST');
  if (rawAuthority !== undefined) {
    // Tokens are never fetched over plain http, not even from a local stand-in.
    let url: URL | undefined;
    try {
      url = new URL(rawAuthority);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'https:') errors.push(`AZURE_AUTHORITY_HOST must be an https URL (got "${rawAuthority}")`);
    else authorityHost = url.toString().replace(/\/+$/, '');
  }

  return { settings: { cloud, logAnalytics, arm, graph, authorityHost }, errors };
}
