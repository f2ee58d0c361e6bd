/**
 * Fills the committed manifest template (manifest/manifest.json) from the environment.
 *
 * The template holds `${{NAME}}` placeholders, as Microsoft 365 Agents Toolkit templates do, so the same
 * file works with that toolkit and with our packager:
 *   ${{MICROSOFT_APP_ID}}  bot id      ← env MicrosoftAppId (required, the bot's Entra app id)
 *   ${{TEAMS_APP_ID}}      Teams app id ← env TEAMS_APP_ID, defaulting to the bot id
 *   ${{APP_VERSION}}       app version  ← env HUNTBOT_APP_VERSION, defaulting to package.json's version
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VERSION_PATTERN, GUID_PATTERN } from './manifest-schema';
import { PackagingError } from './packaging-error';
import { manifestDir } from './paths';
import { packageVersion } from '../package-root';

export type Manifest = Record<string, unknown>;
export type PackagingEnv = Readonly<Record<string, string | undefined>>;

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export function loadManifestTemplate(dir: string = manifestDir()): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** The filled manifest; throws a PackagingError listing every configuration problem. */
export function buildManifest(env: PackagingEnv, template: Manifest = loadManifestTemplate(), appVersion: string = packageVersion()): Manifest {
  const problems: string[] = [];
  const botId = readGuid(env, 'MicrosoftAppId', true, problems);
  const teamsAppId = readGuid(env, 'TEAMS_APP_ID', false, problems);
  const version = readVersion(env, appVersion, problems);
  if (problems.length > 0 || botId === undefined) throw new PackagingError(problems);

  const values: Record<string, string> = { MICROSOFT_APP_ID: botId, TEAMS_APP_ID: teamsAppId ?? botId, APP_VERSION: version };
  const unknown = new Set<string>();
  const filled = fill(template, values, unknown) as Manifest;
  for (const name of unknown) problems.push(`manifest.json uses \${{${name}}}, which the packager does not fill`);
  if (problems.length > 0) throw new PackagingError(problems);
  return filled;
}

/** HUNTBOT_APP_VERSION when set, else package.json's version; Teams takes only x.y.z. */
function readVersion(env: PackagingEnv, appVersion: string, problems: string[]): string {
  const override = env.HUNTBOT_APP_VERSION?.trim();
  if (override) {
    if (!APP_VERSION_PATTERN.test(override)) {
      problems.push(`HUNTBOT_APP_VERSION "${override}" is not a version like 1.0.0 (three numbers, no leading zeros)`);
    }
    return override;
  }
  if (!APP_VERSION_PATTERN.test(appVersion)) {
    problems.push(
      `package.json version "${appVersion}" is not a version Teams accepts (three numbers like 1.0.0, no pre-release); set HUNTBOT_APP_VERSION`,
    );
  }
  return appVersion;
}

function readGuid(env: PackagingEnv, name: string, required: boolean, problems: string[]): string | undefined {
  const value = env[name]?.trim();
  if (!value) {
    if (required) problems.push(`${name} is not set: set it to the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000`);
    return undefined;
  }
  if (!GUID_PATTERN.test(value)) {
    problems.push(`${name} "${value}" is not a GUID like 00000000-0000-0000-0000-000000000000`);
    return undefined;
  }
  return value;
}

/** Deep copy of `node` with placeholders replaced in every string; names without a value go to `unknown`. */
function fill(node: unknown, values: Record<string, string>, unknown: Set<string>): unknown {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (match, name: string) => {
      if (name in values) return values[name];
      unknown.add(name);
      return match;
    });
  }
  if (Array.isArray(node)) return node.map((item) => fill(item, values, unknown));
  if (typeof node === 'object' && node !== null) {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value, values, unknown)]));
  }
  return node;
}
