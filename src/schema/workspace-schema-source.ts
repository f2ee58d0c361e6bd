import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED_SCHEMA, type KqlDiagnostic, type WorkspaceSchema, checkQuery, mergeSchemas, parseSchemaDocument, queryCheckerFor } from '../kql';
import type { Logger } from '../logging/logger';
import { errorMessage } from '../util/error-message';
import { replaceFileSync } from '../util/replace-file-sync';

/** Where the schema the parser checks against came from. */
export type SchemaOrigin = 'workspace' | 'cache' | 'bundled';

/** What /healthz says about the schema. */
export interface SchemaStatus {
  origin: SchemaOrigin;
  tables: number;
  functions: number;
  /** When the workspace answered (for `cache`: when the cached copy was read from it). */
  readAt?: string;
  /** Why the latest read failed, when it did (no server paths). */
  lastError?: string;
  /** Said when no workspace schema could ever be read. */
  note?: string;
}

export interface WorkspaceSchemaSourceOptions {
  /** Reads the workspace metadata (GET /v1/workspaces/{id}/metadata): the parsed JSON body. */
  read: () => Promise<unknown>;
  /** The on-disk copy of the last good read, for a restart while the API is unreachable. */
  cacheFile: string;
  logger: Logger;
  /** How often to read again (default hourly). */
  refreshMs?: number;
}

interface CacheFile {
  readAt: string;
  metadata: unknown;
}

/** What identifies a workspace's schema as read (the key of the analyser's kept verdicts on it, with the parser's version). */
export function schemaFingerprint(metadata: unknown): string {
  return createHash('sha256').update(JSON.stringify(metadata)).digest('hex');
}

/**
 * The workspace's real schema for the parser check in Sentinel mode: read at start and hourly from
 * the Log Analytics metadata API, kept on disk so a restart while the API is unreachable still
 * checks against it, and the bundled schema when no copy could ever be read. Tables the workspace
 * does not report stay known from the bundled schema (a hunt over them is checked against the
 * published columns, and the service reports a table it lacks when the hunt runs).
 */
export class WorkspaceSchemaSource {
  private schema: WorkspaceSchema = BUNDLED_SCHEMA;
  /**
   * Until a workspace schema is read, checks are local mode's, under local mode's key (''): the verdicts
   * reached on the bundled schema, the build's on the built-in hunts among them, answer them too.
   */
  private checker: (kql: string) => KqlDiagnostic[] = checkQuery;
  private status: SchemaStatus;
  private timer?: NodeJS.Timeout;
  private fingerprint = '';

  constructor(private readonly options: WorkspaceSchemaSourceOptions) {
    this.status = { origin: 'bundled', tables: BUNDLED_SCHEMA.tables.length, functions: 0, note: 'no workspace schema read yet: checking against the bundled schema' };
  }

  /** Reads the workspace schema (or the cached copy, or settles for the bundled one), then refreshes hourly. */
  async start(): Promise<void> {
    if (!(await this.refresh())) this.useCache();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Checks a query against the current schema (a refresh swaps it in for later checks). */
  readonly check = (kql: string): KqlDiagnostic[] => this.checker(kql);

  /** Changes whenever the schema does: part of the key of remembered verdicts. */
  version(): string {
    return this.fingerprint;
  }

  /** The schema checks run against: the workspace's tables and functions over the bundled ones. */
  current(): WorkspaceSchema {
    return this.schema;
  }

  describe(): SchemaStatus {
    return { ...this.status };
  }

  /** One read of the workspace; true when it gave a usable schema. */
  async refresh(): Promise<boolean> {
    let metadata: unknown;
    let schema: WorkspaceSchema;
    try {
      metadata = await this.options.read();
      schema = parseSchemaDocument(metadata, 'the workspace metadata');
    } catch (error) {
      const reason = errorMessage(error);
      this.status = { ...this.status, lastError: reason };
      this.options.logger.warn({ event: 'workspace-schema-unavailable', reason, using: this.status.origin }, `could not read the workspace schema; checking against the ${this.status.origin} schema`);
      return false;
    }
    const readAt = new Date().toISOString();
    this.use(schema, 'workspace', readAt, metadata);
    this.writeCache({ readAt, metadata });
    return true;
  }

  private useCache(): void {
    let cached: CacheFile;
    const { lastError } = this.status;
    try {
      cached = JSON.parse(fs.readFileSync(this.options.cacheFile, 'utf8')) as CacheFile;
      this.use(parseSchemaDocument(cached.metadata, 'the cached workspace metadata'), 'cache', cached.readAt, cached.metadata);
      this.status.lastError = lastError;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      this.status = { ...this.status, note: 'no workspace schema could be read (and none is cached): checking against the bundled schema' };
      this.options.logger.warn(
        { event: 'workspace-schema-bundled', setting: 'HUNT_CACHE_DIR', reason: missing ? 'no cached copy' : errorMessage(error) },
        'no workspace schema could be read; checking hunts against the bundled schema',
      );
      return;
    }
    this.options.logger.info({ event: 'workspace-schema-cached', readAt: cached.readAt }, 'checking hunts against the cached workspace schema');
  }

  private use(workspace: WorkspaceSchema, origin: SchemaOrigin, readAt: string, metadata: unknown): void {
    const fingerprint = schemaFingerprint(metadata);
    if (fingerprint !== this.fingerprint) {
      this.schema = mergeSchemas(workspace, BUNDLED_SCHEMA);
      this.checker = queryCheckerFor(this.schema);
      this.fingerprint = fingerprint;
    }
    this.status = { origin, tables: workspace.tables.length, functions: workspace.functions.length, readAt };
    for (const note of workspace.notes.slice(0, 20)) this.options.logger.warn({ event: 'workspace-schema-note', note }, 'workspace schema');
  }

  /** tmp + rename, so a concurrent reader never sees half a file; a read-only disk only loses the copy. */
  private writeCache(content: CacheFile): void {
    try {
      replaceFileSync(this.options.cacheFile, JSON.stringify(content));
    } catch (error) {
      this.options.logger.warn({ event: 'workspace-schema-cache-unwritable', setting: 'HUNT_CACHE_DIR', err: error }, 'could not keep a copy of the workspace schema');
    }
  }
}

/** The cache file of one workspace in HUNT_CACHE_DIR. */
export function workspaceSchemaCacheFile(cacheDir: string, workspaceId: string): string {
  return path.join(cacheDir, `workspace-schema-${workspaceId.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
}
