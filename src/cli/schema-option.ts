import * as fs from 'node:fs';
import type { TokenCredential } from '@azure/identity';
import { createCredential } from '../azure/credentials';
import { fetchWorkspaceMetadata } from '../backends/log-analytics-metadata';
import { ConfigError, loadConfig } from '../config/config';
import type { Env } from '../config/env';
import { BUNDLED_SCHEMA, type KqlDiagnostic, checkQuery, mergeSchemas, parseSchemaDocument, queryCheckerFor } from '../kql';
import { schemaFingerprint as fingerprintOf } from '../schema/workspace-schema-source';
import { errorMessage } from '../util/error-message';
import { UsageError } from './command-line';

/** The `--schema FILE` and `--workspace` options of `check` and `validate`. */
export const SCHEMA_OPTIONS = {
  schema: { type: 'string' },
  workspace: { type: 'boolean' },
} as const;

export const SCHEMA_HELP = `  --schema FILE   check against this schema (JSON in the Log Analytics metadata shape:
                  {"tables":[{"name","columns":[{"name","type"}]}],"functions":[{"name","parameters","body"}]},
                  e.g. a saved GET /v1/workspaces/{id}/metadata answer); its tables and functions come
                  on top of the bundled schema
  --workspace     check against the live schema of the Sentinel workspace (SENTINEL_WORKSPACE_ID, with the
                  bot's credential and cloud settings; needs Log Analytics Reader on the workspace)`;

/** Where the schema for a check comes from, and what to say about it. */
export interface ChosenSchema {
  check: (kql: string) => KqlDiagnostic[];
  /**
   * Identifies a schema other than the bundled one (undefined for it), as the bot's own does:
   * the SHA-256 of the document as read, so verdicts kept under it are the bot's for the same workspace.
   */
  fingerprint?: string;
  /** "the bundled schema", "schema file x.json (3 tables, 1 function)", … */
  description: string;
}

/** A schema that was asked for and cannot be had: the command fails (exit 1) with this message. */
export class SchemaUnavailable extends Error {}

export interface SchemaOptionDeps {
  env: Env;
  /** The identity for --workspace (default: the configured managed identity or the default chain). */
  credential?: TokenCredential;
}

export async function chooseSchema(values: { schema?: string; workspace?: boolean }, deps: SchemaOptionDeps): Promise<ChosenSchema> {
  if (values.schema !== undefined && values.workspace) throw new UsageError('--schema and --workspace cannot be combined');
  if (values.schema !== undefined) return fileSchema(values.schema);
  if (values.workspace) return workspaceSchema(deps);
  return { check: checkQuery, description: 'the bundled schema' };
}

function fileSchema(file: string): ChosenSchema {
  if (file === '') throw new UsageError('--schema needs a file');
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SchemaUnavailable(`cannot read the schema file ${file}: ${errorMessage(error)}`);
  }
  let schema;
  try {
    schema = parseSchemaDocument(document, file);
  } catch (error) {
    throw new SchemaUnavailable(errorMessage(error));
  }
  return { check: queryCheckerFor(mergeSchemas(schema, BUNDLED_SCHEMA)), fingerprint: fingerprintOf(document), description: `schema file ${file} (${describeCounts(schema)})` };
}

async function workspaceSchema(deps: SchemaOptionDeps): Promise<ChosenSchema> {
  let config;
  try {
    config = loadConfig(deps.env);
  } catch (error) {
    throw new UsageError(error instanceof ConfigError ? error.message : errorMessage(error));
  }
  if (config.backend !== 'loganalytics' || !config.logAnalytics) throw new UsageError('--workspace needs the Sentinel settings (SENTINEL_WORKSPACE_ID)');
  const { workspaceId } = config.logAnalytics;
  let schema;
  let fingerprint;
  try {
    const metadata = await fetchWorkspaceMetadata({ workspaceId, credential: deps.credential ?? createCredential(config.identity), service: config.azure.logAnalytics });
    schema = parseSchemaDocument(metadata, 'the workspace metadata');
    fingerprint = fingerprintOf(metadata);
  } catch (error) {
    throw new SchemaUnavailable(`could not read the schema of workspace ${workspaceId}: ${errorMessage(error)}`);
  }
  return { check: queryCheckerFor(mergeSchemas(schema, BUNDLED_SCHEMA)), fingerprint, description: `the schema of workspace ${workspaceId} (${describeCounts(schema)})` };
}

function describeCounts(schema: { tables: readonly unknown[]; functions: readonly unknown[] }): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  return `${plural(schema.tables.length, 'table')}, ${plural(schema.functions.length, 'function')}`;
}
