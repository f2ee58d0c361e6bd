import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { QueryAnalysis } from '../kql';
import { schemaVersion } from '../hunts/query-check-cache';
import { replaceFileSync } from '../util/replace-file-sync';

/** One query text's analysis against one set of the data's own tables (those the bundled schema lacks). */
export interface KeptAnalysis {
  /** JSON of KqlDatabase.extraSchemas(): the analysis holds only for data with exactly these extra tables. */
  extraSchemas: string;
  analysis: QueryAnalysis;
}

/** A query over a few data folders keeps a few analyses; the oldest goes first. */
const KEPT_PER_QUERY = 4;
/** Files (query texts) kept in the folder; the least recently written go first. */
const KEPT_QUERIES = 200;

/**
 * The Kusto parser's analyses of queries `huntbot query` has answered, kept in HUNT_CACHE_DIR, so the
 * same query asked again over data of the same tables is evaluated without loading the parser (about
 * 1.4 s of a cold start, more than loading a million rows from their snapshot). A file per query text,
 * named by a hash of it and of what else decides the analysis (parser version, release, bundled schema:
 * schemaVersion), holding a checksum of its content: a damaged, foreign or stale file is not used.
 */
export class KeptAnalyses {
  constructor(private readonly dir: string) {}

  /** What is kept for `kql`: read before the data is loaded, to decide whether to load the parser meanwhile. */
  entriesFor(kql: string): KeptAnalysis[] {
    try {
      const { sum, entries } = JSON.parse(fs.readFileSync(this.fileFor(kql), 'utf8')) as { sum?: unknown; entries?: unknown };
      if (!Array.isArray(entries) || sum !== checksum(entries)) return [];
      return (entries as KeptAnalysis[]).filter((entry) => entry?.analysis?.text === kql && typeof entry.extraSchemas === 'string');
    } catch {
      return [];
    }
  }

  /** The kept analysis among `entries` made for data with these extra tables. */
  find(entries: readonly KeptAnalysis[], extraSchemas: string): QueryAnalysis | undefined {
    return entries.find((entry) => entry.extraSchemas === extraSchemas)?.analysis;
  }

  /** Keeps `analysis` next to `entries` (what entriesFor gave); best effort: a cache that cannot be written only costs speed. */
  keep(entries: readonly KeptAnalysis[], extraSchemas: string, analysis: QueryAnalysis): void {
    const kept = [{ extraSchemas, analysis }, ...entries.filter((entry) => entry.extraSchemas !== extraSchemas)].slice(0, KEPT_PER_QUERY);
    const file = this.fileFor(analysis.text);
    try {
      replaceFileSync(file, JSON.stringify({ sum: checksum(kept), entries: kept }));
      this.prune();
    } catch {
      // A read-only or full disk: the next run analyses again.
    }
  }

  private fileFor(kql: string): string {
    return path.join(this.dir, `${createHash('sha256').update(schemaVersion()).update('\0').update(kql).digest('hex')}.json`);
  }

  private prune(): void {
    const files = fs.readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    if (files.length <= KEPT_QUERIES) return;
    const byAge = files.map((name) => ({ name, mtimeMs: fs.statSync(path.join(this.dir, name)).mtimeMs })).sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const { name } of byAge.slice(0, files.length - KEPT_QUERIES)) fs.rmSync(path.join(this.dir, name), { force: true });
  }
}

function checksum(entries: unknown): string {
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url');
}

/** The analyses `huntbot query` keeps in HUNT_CACHE_DIR, and those kept for one query. */
export interface KeptForQuery {
  kept: KeptAnalyses;
  entries: KeptAnalysis[];
}

export function keptAnalysesOf(cacheDir: string, kql: string): KeptForQuery {
  const kept = new KeptAnalyses(path.join(cacheDir, 'kql-analyses'));
  return { kept, entries: kept.entriesFor(kql) };
}
