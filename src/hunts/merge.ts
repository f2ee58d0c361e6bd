import type { Cell, KustoType, QueryResult, ResultColumn } from '../kql/types';
import type { HuntDefinition } from '../domain/hunt-definition';

/**
 * `hunt rmm anydesk all` runs one hunt per signal kind; responders want one row per device. Every hunt
 * summarizes by the entity key and label with FirstSeen, LastSeen, Report and Count, so those merge
 * by min / max / union / sum; other list columns (Accounts, FileNames, RemoteUrls, …) are unioned, and
 * `Signals` says which kinds fired for the device.
 */
export function mergeByEntity(parts: ReadonlyArray<{ hunt: HuntDefinition; result: QueryResult }>): QueryResult {
  const key = parts[0]?.hunt.entityKey ?? 'DeviceId';
  const label = parts[0]?.hunt.entityLabel ?? 'DeviceName';
  const listColumns = evidenceColumns(parts, [key, label]);
  const columns: ResultColumn[] = [
    { name: key, type: 'string' },
    { name: label, type: 'string' },
    { name: 'FirstSeen', type: 'datetime' },
    { name: 'LastSeen', type: 'datetime' },
    { name: 'Report', type: 'dynamic' },
    { name: 'Count', type: 'long' },
    { name: 'Signals', type: 'dynamic' },
    ...listColumns.map((name) => ({ name, type: 'dynamic' as KustoType })),
  ];

  const merged = new Map<string, MergedEntity>();
  for (const { hunt, result } of parts) {
    const index = (name: string) => result.columns.findIndex((c) => c.name === name);
    const at = { key: index(hunt.entityKey), label: index(hunt.entityLabel), first: index('FirstSeen'), last: index('LastSeen'), report: index('Report'), count: index('Count') };
    if (at.key < 0) throw new Error(`${hunt.name}: result has no ${hunt.entityKey} column to merge on`);
    for (const row of result.rows) {
      const id = String(row[at.key] ?? '');
      let entity = merged.get(id);
      if (!entity) merged.set(id, (entity = newEntity(id)));
      if (at.label >= 0 && !entity.label && row[at.label]) entity.label = String(row[at.label]);
      entity.first = earlier(entity.first, at.first >= 0 ? row[at.first] : null);
      entity.last = later(entity.last, at.last >= 0 ? row[at.last] : null);
      if (at.report >= 0) addAll(entity.report, row[at.report]);
      entity.count += at.count >= 0 && typeof row[at.count] === 'number' ? (row[at.count] as number) : 1;
      if (!entity.signals.includes(hunt.kind)) entity.signals.push(hunt.kind);
      for (const name of listColumns) {
        const column = index(name);
        if (column >= 0) addAll(listFor(entity, name), row[column]);
      }
    }
  }

  const rows: Cell[][] = [...merged.values()]
    .sort((a, b) => timeOf(b.last) - timeOf(a.last) || a.label.localeCompare(b.label))
    .map((e) => [e.id, e.label, e.first, e.last, [...e.report], e.count, e.signals, ...listColumns.map((name) => [...listFor(e, name)])]);
  return { columns, rows };
}

interface MergedEntity {
  id: string;
  label: string;
  first: Cell;
  last: Cell;
  report: Set<unknown>;
  count: number;
  signals: string[];
  lists: Map<string, Set<unknown>>;
}

const CORE_COLUMNS = ['FirstSeen', 'LastSeen', 'Report', 'Count'];

/** Dynamic columns beyond the core ones, in first-seen order across the parts. */
function evidenceColumns(parts: ReadonlyArray<{ result: QueryResult }>, entityColumns: string[]): string[] {
  const names: string[] = [];
  for (const { result } of parts) {
    for (const column of result.columns) {
      const isCore = CORE_COLUMNS.includes(column.name) || entityColumns.includes(column.name);
      if (!isCore && column.type === 'dynamic' && !names.includes(column.name)) names.push(column.name);
    }
  }
  return names;
}

function newEntity(id: string): MergedEntity {
  return { id, label: '', first: null, last: null, report: new Set(), count: 0, signals: [], lists: new Map() };
}

function listFor(entity: MergedEntity, name: string): Set<unknown> {
  let list = entity.lists.get(name);
  if (!list) entity.lists.set(name, (list = new Set()));
  return list;
}

/** Adds a set-valued cell (an array) or a single value, skipping nulls as make_set does. */
function addAll(target: Set<unknown>, cell: Cell): void {
  if (Array.isArray(cell)) for (const value of cell) addValue(target, value);
  else addValue(target, cell);
}

function addValue(target: Set<unknown>, value: unknown): void {
  if (value === null || value === undefined || value === '') return;
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    for (const existing of target) if (typeof existing === 'object' && JSON.stringify(existing) === text) return;
  }
  target.add(value);
}

function timeOf(cell: Cell): number {
  const ms = typeof cell === 'string' ? Date.parse(cell) : NaN;
  return Number.isNaN(ms) ? -Infinity : ms;
}

function earlier(current: Cell, candidate: Cell): Cell {
  if (candidate === null || candidate === undefined) return current;
  return current === null || timeOf(candidate) < timeOf(current) ? candidate : current;
}

function later(current: Cell, candidate: Cell): Cell {
  if (candidate === null || candidate === undefined) return current;
  return current === null || timeOf(candidate) > timeOf(current) ? candidate : current;
}
