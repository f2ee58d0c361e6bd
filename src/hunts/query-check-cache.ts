import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { BUNDLED_SCHEMA } from '../kql/bundled-schema';
import { EXCLUSION_WATCHLIST_COLUMNS } from '../kql/schema';
import type { KqlDiagnostic } from '../kql/types';
import type { QueryChecker } from './hunt-file';
import { packageVersion } from '../package-root';
import { replaceFileSync } from '../util/replace-file-sync';

/**
 * Remembers the analyser's verdict per query text on disk, so start-up does not re-analyse ~200
 * unchanged hunts (≈20 ms each). The key covers the text, the table schemas and the parser version:
 * any change to one of them is a cache miss and a fresh analysis.
 */
export class QueryCheckCache {
  private readonly entries: Record<string, KqlDiagnostic[]>;
  /** Verdicts read from `seedFile`, consulted after this file's own and never written back to it. */
  private readonly seed: Record<string, KqlDiagnostic[]>;
  private dirty = false;

  /**
   * `seedFile`: verdicts made elsewhere under the same key (the build's, on the built-in hunts; see
   * builtin-verdicts.ts), read under this file's own; only this file is ever written.
   */
  constructor(
    private readonly file: string,
    private readonly inner: QueryChecker,
    /** The key's schema part; a function when the schema can change while the cache is in use (a workspace's, refreshed hourly). */
    private readonly version: string | (() => string) = schemaVersion(),
    seedFile?: string,
  ) {
    this.entries = readEntries(file);
    this.seed = seedFile === undefined ? {} : readEntries(seedFile);
  }

  readonly check: QueryChecker = (kql) => {
    const known = this.known(kql);
    if (known) return known;
    const diagnostics = this.inner(kql);
    this.remember(kql, diagnostics);
    return diagnostics;
  };

  /** The remembered verdict on `kql`, if there is one. */
  known(kql: string): KqlDiagnostic[] | undefined {
    const key = this.key(kql);
    return this.entries[key] ?? this.seed[key];
  }

  /** Remembers a verdict reached elsewhere (the parser process); written by the next flush(). */
  remember(kql: string, diagnostics: KqlDiagnostic[]): void {
    this.entries[this.key(kql)] = diagnostics;
    this.dirty = true;
  }

  /** As checkAndKeep, with the verdict asked of `ask` (the parser process) when none is remembered; a failed question is not remembered. */
  async checkAndKeepThrough(kql: string, ask: (kql: string) => Promise<KqlDiagnostic[]>): Promise<KqlDiagnostic[]> {
    const known = this.known(kql);
    if (known) return known;
    const diagnostics = await ask(kql);
    this.remember(kql, diagnostics);
    this.flush();
    return diagnostics;
  }

  private key(kql: string): string {
    const version = typeof this.version === 'function' ? this.version() : this.version;
    return createHash('sha256').update(version).update('\0').update(kql).digest('base64url');
  }

  /** As `check`, and a new verdict is written to disk at once (checks made while the bot runs: one per hunt shape). */
  readonly checkAndKeep: QueryChecker = (kql) => {
    const diagnostics = this.check(kql);
    this.flush();
    return diagnostics;
  };

  /**
   * Writes new verdicts atomically (tmp + rename), so concurrent processes never read half a file, over
   * what the file holds now: verdicts another process (the bot, `huntbot validate`) wrote since this one
   * read it are kept, short of two writes in the same instant.
   */
  flush(): void {
    if (!this.dirty) return;
    try {
      const onDisk = readEntries(this.file);
      for (const key of Object.keys(onDisk)) this.entries[key] ??= onDisk[key];
      replaceFileSync(this.file, JSON.stringify(this.entries));
      this.dirty = false;
    } catch {
      // A read-only disk only costs start-up time; never fail the bot over a cache.
    }
  }
}

function readEntries(file: string): Record<string, KqlDiagnostic[]> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, KqlDiagnostic[]>) : {};
  } catch {
    return {};
  }
}

/**
 * The key part that changes with the parser, the bot's release (its analyser decides what the engine
 * accepts), the bundled schema, or (in Sentinel mode) the workspace schema's fingerprint.
 */
export function schemaVersion(workspaceSchema = ''): string {
  let version = schemaVersions.get(workspaceSchema);
  if (version === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the parser's own version is part of the key
    const parser = require('@kusto/language-service-next/package.json') as { version: string };
    version = createHash('sha256')
      .update(parser.version)
      .update(`\0${packageVersion()}\0`)
      .update(JSON.stringify([BUNDLED_SCHEMA.tables, BUNDLED_SCHEMA.functions, EXCLUSION_WATCHLIST_COLUMNS]))
      .update(workspaceSchema)
      .digest('hex');
    // A key asked for on every check (a workspace's schema can change): the bundled schema is serialized once per fingerprint.
    if (schemaVersions.size >= 8) schemaVersions.clear();
    schemaVersions.set(workspaceSchema, version);
  }
  return version;
}

const schemaVersions = new Map<string, string>();
