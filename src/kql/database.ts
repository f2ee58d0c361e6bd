import { BUNDLED_SCHEMA } from './bundled-schema';
import type { TableSchema } from './schema';
import { shareTable, type SharedTable, tableFromShared } from './storage/shared-table';
import type { Table } from './storage/table';
import { inferSchema, tableFromRows } from './storage/table-builder';
import { fillTimeAliases } from './storage/time-aliases';

const BUNDLED_BY_NAME = new Map(BUNDLED_SCHEMA.tables.map((t) => [t.name, t]));

/** The bundled schema (schemas/*.json) of a table name, if it describes it. */
export function knownSchema(name: string): TableSchema | undefined {
  return BUNDLED_BY_NAME.get(name);
}

const BUNDLED_BY_LOWER_NAME = new Map(BUNDLED_SCHEMA.tables.map((t) => [t.name.toLowerCase(), t]));

/** The Defender table a name means when only its case differs (bundled names differ by more than case). */
export function knownSchemaIgnoringCase(name: string): TableSchema | undefined {
  return BUNDLED_BY_LOWER_NAME.get(name.toLowerCase());
}

/** Where the data came from and what was wrong with it, for warnings on the results that read it. */
export interface DatabaseProvenance {
  /** The data folder, or a description such as "the generated sample telemetry". */
  source?: string;
  /** Per table: rows no hunt can see, and why ("3 rows … have no Timestamp that parses"). */
  tableIssues?: ReadonlyMap<string, readonly string[]>;
}

/**
 * A whole database as plain data over shared memory: posted to worker threads (which then share the
 * columns instead of each loading a copy) and written to snapshot files.
 */
export interface SharedDatabase {
  tables: SharedTable[];
  notes: string[];
  source?: string;
  tableIssues: Array<[string, string[]]>;
}

/**
 * In-memory tables the engine queries. Tables the bundled schema names are typed by it (missing columns
 * are empty, except that Timestamp and TimeGenerated stand in for each other); any other table gets
 * an inferred schema (see inferSchema) and becomes queryable too.
 */
export class KqlDatabase {
  private constructor(
    private readonly tables: ReadonlyMap<string, { schema: TableSchema; data: Table }>,
    /** Things a person loading the data should know (e.g. inferred schemas). */
    readonly notes: readonly string[] = [],
    readonly provenance: DatabaseProvenance = {},
  ) {}

  /** `shared`: build the columns in shared memory, for worker threads to share (see toShared). */
  static fromRows(tables: Record<string, Array<Record<string, unknown>>>, provenance: DatabaseProvenance = {}, shared = false): KqlDatabase {
    const built = new Map<string, { schema: TableSchema; data: Table }>();
    const notes: string[] = [];
    for (const [name, rows] of Object.entries(tables)) {
      let schema = knownSchema(name);
      if (!schema) {
        schema = inferSchema(name, rows);
        notes.push(`${name}: not a known Defender table; inferred schema ${describeSchema(schema)}`);
      }
      built.set(name, { schema, data: fillTimeAliases(tableFromRows(schema, rows, shared)) });
    }
    return new KqlDatabase(built, notes, provenance);
  }

  /** For loaders that build columns themselves. */
  static fromTables(tables: ReadonlyArray<{ schema: TableSchema; data: Table }>, notes: string[] = [], provenance: DatabaseProvenance = {}): KqlDatabase {
    return new KqlDatabase(new Map(tables.map((t) => [t.schema.name, { schema: t.schema, data: fillTimeAliases(t.data) }])), notes, provenance);
  }

  /** This database over shared memory (columns already there are not copied). */
  toShared(): SharedDatabase {
    return {
      tables: [...this.tables.values()].map((t) => shareTable(t.schema, t.data)),
      notes: [...this.notes],
      source: this.provenance.source,
      tableIssues: [...(this.provenance.tableIssues ?? new Map<string, readonly string[]>())].map(([name, issues]) => [name, [...issues]]),
    };
  }

  /** The database another thread shared (see toShared): its columns are used in place, never copied. */
  static fromShared(shared: SharedDatabase): KqlDatabase {
    const tables = new Map(shared.tables.map((t) => [t.schema.name, { schema: t.schema, data: tableFromShared(t) }]));
    return new KqlDatabase(tables, shared.notes, { source: shared.source, tableIssues: new Map(shared.tableIssues) });
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  rowCount(table: string): number {
    return this.tables.get(table)?.data.length ?? 0;
  }

  /** The stored table, or null when the database has no such table. */
  table(name: string): Table | null {
    return this.tables.get(name)?.data ?? null;
  }

  /** Schemas of the tables that the bundled schema does not describe, for the analyser. */
  extraSchemas(): TableSchema[] {
    return [...this.tables.values()].map((t) => t.schema).filter((s) => !BUNDLED_BY_NAME.has(s.name));
  }
}

export function describeSchema(schema: TableSchema): string {
  return `(${schema.columns.map((c) => `${c.name}:${c.type}`).join(', ')})`;
}
