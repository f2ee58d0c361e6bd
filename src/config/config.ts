import * as path from 'node:path';
import { readAzureCloudSettings, type AzureCloudSettings } from '../azure/cloud';
import { chooseCredential, type CredentialChoice } from '../azure/credential-choice';
import { envList, envValue, isGuid, type Env } from './env';
import { readRunStateSettings, type RunStateSettings } from './run-state-settings';
import { DEFAULT_HUNT_FAMILY, DEFAULT_WATCHLIST_ALIAS, type HuntFolderSetting } from '../domain/hunt-definition';

export type BackendChoice = 'local' | 'loganalytics' | 'defender';
export type BotAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';

/** Everything the process needs, validated once at start. */
export interface AppConfig {
  port: number;
  /** Interface the HTTP server binds to. */
  host: string;
  bot: {
    appId: string;
    appPassword: string;
    appType: BotAppType;
    tenantId: string;
    /** True when MicrosoftAppId is set: inbound requests must carry a valid Bot Framework token. */
    authEnabled: boolean;
    /** What the Bot Framework SDK reads itself (see BOT_FRAMEWORK_SETTINGS): only set values, as given (the SDK trims). */
    sdkSettings: Readonly<Record<string, string>>;
    /** HUNT_CARD_ANSWER_SECONDS: how long a card press may take before it is answered without its result (Teams waits 10–15 s). */
    cardAnswerSeconds: number;
  };
  backend: BackendChoice;
  /** Folder of `<Table>.jsonl` files for the embedded engine; undefined → generated sample telemetry. */
  dataDir?: string;
  /** Extra hunt files (user-provided), validated like the built-in ones. */
  huntsDirs: string[];
  /** The same folders with the family their Azure-Sentinel files get (`HUNTS_DIR=sentinel=/a:/b`; default `hunts`). */
  huntFolders: HuntFolderSetting[];
  logAnalytics?: {
    workspaceId: string;
    serverTimeoutSeconds: number;
  };
  /** HUNT_BACKEND=defender: Defender XDR advanced hunting through Microsoft Graph (endpoint in `azure.graph`). */
  defender?: {
    /** HUNT_QUERY_TIMEOUT_SECONDS: how long the bot waits for one answer. */
    timeoutSeconds: number;
  };
  watchlist?: {
    subscriptionId: string;
    resourceGroup: string;
    workspaceName: string;
  };
  watchlistAlias: string;
  storePath: string;
  /** Where the parser's verdicts on unchanged hunts are remembered between starts. */
  cacheDir: string;
  authorization: { allowedTenants: string[]; allowedTeams: string[]; taggers: string[] };
  /** Limits that keep a busy channel from overwhelming the workspace (and the bot). */
  load: { maxConcurrentQueries: number; maxQueriesPerUser: number; resultTtlSeconds: number; engineWorkers: number };
  /** What one query may use in the embedded engine, so a runaway hunt fails instead of taking the bot down. */
  engine: {
    /** Rows one materializing operator (join, mv-expand, union, summarize, sort...) may produce. */
    maxRows: number;
    /** HUNT_QUERY_TIMEOUT_SECONDS: the same limit Log Analytics queries get. */
    timeoutSeconds: number;
    /** Memory (heap plus buffers, its copy of the data included) an engine worker may hold while evaluating. */
    workerMemoryMb: number;
    /** HUNT_EXTERNALDATA_DIR: where `externaldata` URLs resolve to local files (manifest.json: URL -> file). */
    externalDataDir?: string;
    /** HUNT_PARSER_TEMPLATES_MB: the parser process's kept analyses of query shapes (0: none; see shape-analyses.ts). */
    parserTemplatesMb: number;
  };
  /** A device lookup's limits. */
  lookup: {
    /** HUNT_LOOKUP_DEADLINE_SECONDS: after this long no further "RMM tools seen" signal starts; the card names those not looked at. */
    deadlineSeconds: number;
  };
  /** Limits that keep one person from starving or evicting everyone else. */
  fairness: {
    /** Hunts one person may have waiting or running at once (per instance); more are refused politely. */
    maxQueuedPerUser: number;
    /** Messages and card presses per person and conversation: sustained rate and burst (token bucket). */
    messagesPerMinute: number;
    messageBurst: number;
    /** Runs kept in memory for paging and tagging (memory run state only); the biggest holder's oldest go first. */
    maxRetainedRuns: number;
  };
  logLevel: string;
  /** The daily card of tags about to expire, posted where the tags were made. */
  tagExpiry: {
    /** Whether the daily timer runs (HUNT_EXPIRY_NOTICES=on|off); off leaves the job to be run by hand (tests). */
    daily: boolean;
    /** UTC hour (0-23) the daily job runs at (HUNT_EXPIRY_NOTICE_HOUR_UTC). */
    noticeHourUtc: number;
    /** Tags expiring within this many days are listed (HUNT_EXPIRY_NOTICE_DAYS). */
    noticeDays: number;
  };
  /** Endpoints, token scopes and authority of the chosen Azure cloud (AZURE_CLOUD and overrides). */
  azure: AzureCloudSettings;
  /** Which credential Azure calls (Log Analytics, ARM) use: AZURE_CLIENT_ID's managed identity or the default chain. */
  identity: CredentialChoice;
  /** Run state: memory, or HUNT_STATE_BLOB_CONNECTION_STRING/HUNT_STATE_BLOB_CONTAINER. */
  runState: RunStateSettings;
}

/**
 * The settings ConfigurationBotFrameworkAuthentication and its credential factory read from the object they
 * are given (botbuilder 4.23): the app id, password, type and tenant we validate below, and the SDK's own
 * certificate and endpoint settings (sovereign channel service, OAuth and OpenID metadata URLs, token
 * issuer), passed through unvalidated because only the SDK knows what they may be. Nothing else of the
 * environment reaches it.
 */
export const BOT_FRAMEWORK_SETTINGS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'CertificateThumbprint',
  'CertificatePrivateKey',
  'ChannelService',
  'OAuthApiEndpoint',
  'OAuthUrl',
  'BotOpenIdMetadata',
  'ValidateAuthority',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'CallerId',
] as const;

/** The variables that decide which Azure credential to build (the default chain reads its own from process.env). */
const CREDENTIAL_SETTINGS = ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const APP_TYPES: Record<string, BotAppType> = {
  multitenant: 'MultiTenant',
  singletenant: 'SingleTenant',
  userassignedmsi: 'UserAssignedMsi',
};

const ALIAS = /^[A-Za-z0-9](?:[A-Za-z0-9 _-]{1,62})[A-Za-z0-9]$/;

function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = envValue(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return Number(raw);
}

/** HUNT_CACHE_DIR, or its default: what a command that needs no other setting reads. */
export function cacheDirOf(env: Env): string {
  return envValue(env, 'HUNT_CACHE_DIR') ?? './.huntbot/cache';
}

/** Reads and validates the configuration; throws ConfigError naming every problem at once. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];

  const port = integer(env, 'PORT', 3978, 0, 65535, problems);

  const appId = envValue(env, 'MicrosoftAppId') ?? '';
  const appPassword = envValue(env, 'MicrosoftAppPassword') ?? '';
  const tenantId = envValue(env, 'MicrosoftAppTenantId') ?? '';
  const rawType = envValue(env, 'MicrosoftAppType') ?? 'MultiTenant';
  const appType = APP_TYPES[rawType.toLowerCase()];
  if (!appType) problems.push(`MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMsi (got "${rawType}")`);
  if (appId && !isGuid(appId)) problems.push(`MicrosoftAppId must be a GUID (got "${appId}")`);
  if (tenantId && !isGuid(tenantId)) problems.push(`MicrosoftAppTenantId must be a GUID`);
  if (appType === 'SingleTenant') {
    if (!appId) problems.push('MicrosoftAppType=SingleTenant needs MicrosoftAppId');
    if (!tenantId) problems.push('MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId');
    if (!appPassword && !envValue(env, 'CertificateThumbprint'))
      problems.push('MicrosoftAppType=SingleTenant needs MicrosoftAppPassword (or a certificate)');
  }
  if (appType === 'UserAssignedMsi') {
    if (!appId) problems.push('MicrosoftAppType=UserAssignedMsi needs MicrosoftAppId (the managed identity client id)');
    if (!tenantId) problems.push('MicrosoftAppType=UserAssignedMsi needs MicrosoftAppTenantId');
    if (appPassword) problems.push('MicrosoftAppType=UserAssignedMsi must not have MicrosoftAppPassword set');
  }
  const authEnabled = appId !== '';

  // Without authentication anyone who can reach the port can drive the bot: loopback only unless opted in.
  const allowRemoteUnauthenticated = (envValue(env, 'HUNT_ALLOW_UNAUTHENTICATED_REMOTE') ?? '').toLowerCase() === 'true';
  const requestedHost = envValue(env, 'HOST');
  let host = requestedHost ?? (authEnabled ? '0.0.0.0' : '127.0.0.1');
  if (!authEnabled && !allowRemoteUnauthenticated && !isLoopback(host)) {
    problems.push(
      `HOST=${host} would serve an unauthenticated bot beyond this machine; set MicrosoftAppId, or HUNT_ALLOW_UNAUTHENTICATED_REMOTE=true to accept that risk`,
    );
    host = '127.0.0.1';
  }

  const workspaceId = envValue(env, 'SENTINEL_WORKSPACE_ID');
  if (workspaceId && !isGuid(workspaceId)) problems.push(`SENTINEL_WORKSPACE_ID must be the workspace's GUID (got "${workspaceId}")`);
  const rawBackend = envValue(env, 'HUNT_BACKEND')?.toLowerCase();
  let backend: BackendChoice = workspaceId ? 'loganalytics' : 'local';
  if (rawBackend !== undefined) {
    if (rawBackend === 'local' || rawBackend === 'loganalytics' || rawBackend === 'defender') backend = rawBackend;
    else problems.push(`HUNT_BACKEND must be "local", "loganalytics" or "defender" (got "${rawBackend}")`);
  }
  if (backend === 'loganalytics' && !workspaceId) problems.push('HUNT_BACKEND=loganalytics needs SENTINEL_WORKSPACE_ID');
  const serverTimeoutSeconds = integer(env, 'HUNT_QUERY_TIMEOUT_SECONDS', 120, 1, 600, problems);

  const subscriptionId = envValue(env, 'SENTINEL_SUBSCRIPTION_ID');
  const resourceGroup = envValue(env, 'SENTINEL_RESOURCE_GROUP');
  const workspaceName = envValue(env, 'SENTINEL_WORKSPACE_NAME');
  const watchlistParts = [subscriptionId, resourceGroup, workspaceName].filter((v) => v !== undefined).length;
  if (watchlistParts > 0 && watchlistParts < 3)
    problems.push('SENTINEL_SUBSCRIPTION_ID, SENTINEL_RESOURCE_GROUP and SENTINEL_WORKSPACE_NAME must be set together');
  if (subscriptionId && !isGuid(subscriptionId)) problems.push('SENTINEL_SUBSCRIPTION_ID must be a GUID');

  const watchlistAlias = envValue(env, 'WATCHLIST_ALIAS') ?? DEFAULT_WATCHLIST_ALIAS;
  if (!ALIAS.test(watchlistAlias))
    problems.push('WATCHLIST_ALIAS must be 3-64 characters, letters/digits at both ends, spaces, _ or - between');

  const load = {
    maxConcurrentQueries: integer(env, 'HUNT_MAX_CONCURRENT_QUERIES', 5, 1, 100, problems),
    maxQueriesPerUser: integer(env, 'HUNT_MAX_QUERIES_PER_USER', 2, 1, 100, problems),
    resultTtlSeconds: integer(env, 'HUNT_RESULT_TTL_SECONDS', 60, 0, 3600, problems),
    engineWorkers: integer(env, 'HUNT_ENGINE_WORKERS', 2, 0, 16, problems),
  };
  const engine = {
    maxRows: integer(env, 'HUNT_ENGINE_MAX_ROWS', 5_000_000, 1_000, 1_000_000_000, problems),
    timeoutSeconds: serverTimeoutSeconds,
    workerMemoryMb: integer(env, 'HUNT_ENGINE_WORKER_MEMORY_MB', 2_048, 256, 65_536, problems),
    externalDataDir: envValue(env, 'HUNT_EXTERNALDATA_DIR'),
    parserTemplatesMb: integer(env, 'HUNT_PARSER_TEMPLATES_MB', 8, 0, 1_024, problems),
  };

  const cardAnswerSeconds = integer(env, 'HUNT_CARD_ANSWER_SECONDS', 8, 1, 14, problems);
  const lookup = { deadlineSeconds: integer(env, 'HUNT_LOOKUP_DEADLINE_SECONDS', 120, 5, 3_600, problems) };

  const fairness = {
    maxQueuedPerUser: integer(env, 'HUNT_MAX_QUEUED_PER_USER', 5, 1, 1000, problems),
    messagesPerMinute: integer(env, 'HUNT_MESSAGES_PER_MINUTE', 60, 1, 1_000_000, problems),
    messageBurst: integer(env, 'HUNT_MESSAGE_BURST', 30, 1, 1_000_000, problems),
    maxRetainedRuns: integer(env, 'HUNT_MAX_RETAINED_RUNS', 2000, 10, 1_000_000, problems),
  };

  const expiryNotices = (envValue(env, 'HUNT_EXPIRY_NOTICES') ?? 'on').toLowerCase();
  if (expiryNotices !== 'on' && expiryNotices !== 'off') problems.push(`HUNT_EXPIRY_NOTICES must be on or off (got "${expiryNotices}")`);
  const tagExpiry = {
    daily: expiryNotices !== 'off',
    noticeHourUtc: integer(env, 'HUNT_EXPIRY_NOTICE_HOUR_UTC', 8, 0, 23, problems),
    noticeDays: integer(env, 'HUNT_EXPIRY_NOTICE_DAYS', 7, 1, 90, problems),
  };

  const cloud = readAzureCloudSettings(env);
  problems.push(...cloud.errors);
  if (backend === 'defender' && !cloud.settings.graph.advancedHunting) {
    problems.push(`HUNT_BACKEND=defender needs Microsoft Graph advanced hunting, which ${cloud.settings.cloud} does not offer`);
  }
  const runState = readRunStateSettings(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    host,
    bot: { appId, appPassword, appType: appType ?? 'MultiTenant', tenantId, authEnabled, sdkSettings: pick(env, BOT_FRAMEWORK_SETTINGS, { trim: false }), cardAnswerSeconds },
    backend,
    dataDir: envValue(env, 'HUNT_DATA_DIR'),
    huntsDirs: readHuntsDirs(env),
    huntFolders: readHuntFolders(env),
    logAnalytics: backend === 'loganalytics' && workspaceId ? { workspaceId, serverTimeoutSeconds } : undefined,
    defender: backend === 'defender' ? { timeoutSeconds: serverTimeoutSeconds } : undefined,
    watchlist:
      subscriptionId && resourceGroup && workspaceName ? { subscriptionId, resourceGroup, workspaceName } : undefined,
    watchlistAlias,
    authorization: {
      allowedTenants: envList(env, 'HUNT_ALLOWED_TENANTS'),
      allowedTeams: envList(env, 'HUNT_ALLOWED_TEAMS'),
      taggers: envList(env, 'HUNT_TAGGERS'),
    },
    load,
    engine,
    lookup,
    fairness,
    storePath: envValue(env, 'HUNT_STORE_PATH') ?? './.huntbot/huntbot.db',
    cacheDir: cacheDirOf(env),
    logLevel: envValue(env, 'LOG_LEVEL') ?? 'info',
    tagExpiry,
    azure: cloud.settings,
    identity: chooseCredential({ authorityHost: cloud.settings.authorityHost, env: pick(env, CREDENTIAL_SETTINGS) }),
    runState,
  };
}

/** HUNTS_DIR: folders of the operator's hunt files, separated like PATH. */
export function readHuntsDirs(env: Env): string[] {
  return parseHuntFolders(envValue(env, 'HUNTS_DIR') ?? '').map((folder) => folder.dir);
}

/** HUNTS_DIR's folders with their families (see parseHuntFolders). */
export function readHuntFolders(env: Env): HuntFolderSetting[] {
  return parseHuntFolders(envValue(env, 'HUNTS_DIR') ?? '');
}

const FAMILY_PREFIX = /^([a-z0-9][a-z0-9._-]*)=(.+)$/;

/**
 * `sentinel=/path/a:/path/b:other=/path/c`: folders separated like PATH; `<family>=` before a folder
 * names the family of the Azure-Sentinel files in it and in the folders after it, until the next
 * `<family>=`. Folders before any get `hunts`. Files in the bot's format name their own family.
 */
export function parseHuntFolders(text: string): HuntFolderSetting[] {
  let family = DEFAULT_HUNT_FAMILY;
  const folders: HuntFolderSetting[] = [];
  for (const entry of text.split(path.delimiter)) {
    if (entry.trim() === '') continue;
    const prefixed = FAMILY_PREFIX.exec(entry);
    if (prefixed) family = prefixed[1];
    folders.push({ dir: prefixed ? prefixed[2] : entry, family });
  }
  return folders;
}

function pick(env: Env, names: readonly string[], options = { trim: true }): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = options.trim ? envValue(env, name) : env[name];
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
