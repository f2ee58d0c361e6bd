/**
 * Validates a Teams app manifest against the official JSON schema of its own manifestVersion, as
 * bundled (offline) by @microsoft/app-manifest, plus the few rules that schema leaves to prose.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';

/** The GUID shape the schema's #/definitions/guid uses for app and bot ids. */
export const GUID_PATTERN = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** x.y.z without leading zeros: the schema's #/definitions/semver, which `version` does not always reference. */
export const APP_VERSION_PATTERN = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

const SCHEMA_URL_PREFIX = 'https://developer.microsoft.com/json-schemas/teams/';

function schemasDir(): string {
  return join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
}

/** Manifest versions with a bundled schema, e.g. ["1.0", …, "1.30"]. */
export function bundledManifestVersions(): string[] {
  return readdirSync(schemasDir())
    .filter((name) => /^v1\.\d+$/.test(name))
    .map((name) => name.slice(1))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(manifestVersion: string): ValidateFunction | undefined {
  const cached = validators.get(manifestVersion);
  if (cached) return cached;
  const file = join(schemasDir(), `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  if (!/^1\.\d+$/.test(manifestVersion) || !existsSync(file)) return undefined;

  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // The schemas declare draft-04, which ajv 8 does not ship; the keywords they use (const, if/then,
  // dependencies) validate the same under ajv's default draft, so we drop the declaration.
  delete schema.$schema;
  // strict: false because the schemas carry keywords ajv's strict mode rejects (e.g. `default` next to
  // `$ref`); allErrors so the user sees every problem at once.
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The only format the schemas use; ajv-formats is not a dependency of ours.
  ajv.addFormat('uri', { type: 'string', validate: (value: string) => URL.canParse(value) });
  const validate = ajv.compile(schema);
  validators.set(manifestVersion, validate);
  return validate;
}

/** Every problem with `manifest`, as readable sentences; empty when it is valid. */
export function validateManifest(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return ['the manifest is not a JSON object'];
  }
  const { manifestVersion, $schema, version } = manifest as Record<string, unknown>;
  if (typeof manifestVersion !== 'string') return ['manifestVersion is missing'];

  const validate = validatorFor(manifestVersion);
  if (!validate) {
    return [`manifestVersion ${manifestVersion} has no bundled schema (available: ${bundledManifestVersions().join(', ')})`];
  }

  const problems = validate(manifest) ? [] : (validate.errors ?? []).map(describe);
  const expectedSchemaUrl = `${SCHEMA_URL_PREFIX}v${manifestVersion}/MicrosoftTeams.schema.json`;
  if ($schema !== undefined && $schema !== expectedSchemaUrl) {
    problems.push(`$schema must be ${expectedSchemaUrl} to match manifestVersion ${manifestVersion}`);
  }
  // The schema's description says semver but (up to 1.2x) only limits the length; Teams rejects others.
  if (typeof version === 'string' && !APP_VERSION_PATTERN.test(version)) {
    problems.push(`/version "${version}" must be a version like 1.0.0 (three numbers, no leading zeros)`);
  }
  return [...new Set(problems)];
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  if (error.keyword === 'pattern' && error.schemaPath.includes('/definitions/guid/')) return `${where} must be a GUID`;
  if (error.keyword === 'additionalProperties') {
    return `${where} must not have the property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'enum') {
    return `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return `${where} ${error.message ?? error.keyword}`;
}
