import type { Cell, QueryResult } from '../kql/types';
import type { EntityMapping } from '../domain/hunt-definition';
import type { DeviceHit } from '../domain/hunt-run';
import { cleanName } from '../text/display-text';

/**
 * Rows of an Azure-Sentinel hunting query, grouped by what they are about: the entity of its first
 * `entityMappings` entry (Host → the device, Account → the user, …). A group's id is
 * `<EntityType>:<value>`, so its tag key is `<family>/<tool>|<EntityType>:<value>`. The other mapped
 * entities and a few more columns become evidence.
 */

/** The identifier that names an entity best, per type (Sentinel's entity identifiers), most specific first. */
const NAMING_IDENTIFIERS: Readonly<Record<string, readonly string[]>> = {
  Account: ['FullName', 'Name', 'AadUserId', 'Sid', 'ObjectGuid', 'DisplayName', 'CloudAppAccountId'],
  Host: ['FullName', 'HostName', 'NetBiosName', 'AzureID', 'OMSAgentID'],
  IP: ['Address'],
  URL: ['Url'],
  FileHash: ['Value'],
  File: ['Name', 'Directory'],
  Process: ['CommandLine', 'ProcessId'],
  DNS: ['DomainName'],
  CloudApplication: ['Name', 'AppId', 'InstanceName'],
  AzureResource: ['ResourceId'],
  Mailbox: ['MailboxPrimaryAddress', 'Upn', 'DisplayName'],
  RegistryKey: ['Key'],
  RegistryValue: ['Name'],
  Malware: ['Name'],
  SecurityGroup: ['DistinguishedName', 'SID', 'ObjectGuid'],
};

/** Columns listed as evidence beyond the mapped entities, and values per column. */
const MAX_EVIDENCE_COLUMNS = 4;
const MAX_VALUES = 5;
const TIME_COLUMNS = ['TimeGenerated', 'Timestamp', 'StartTime', 'EndTime', 'FirstSeen', 'LastSeen'];

/** The column naming the mapping's entity. */
export function namingColumn(mapping: EntityMapping): string {
  const preferred = NAMING_IDENTIFIERS[mapping.entityType] ?? [];
  for (const identifier of preferred) {
    const found = mapping.fieldMappings.find((f) => f.identifier === identifier);
    if (found) return found.columnName;
  }
  return mapping.fieldMappings[0].columnName;
}

export function toEntityHits(result: QueryResult, mappings: readonly EntityMapping[]): DeviceHit[] {
  const primary = mappings[0];
  const keyColumn = namingColumn(primary);
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const keyAt = index.get(keyColumn);
  if (keyAt === undefined) throw new Error(`the query's result has no ${keyColumn} column, which its entity mapping for ${primary.entityType} names`);
  const others = mappings.slice(1).map((m) => ({ name: m.entityType, column: namingColumn(m) }));
  const mapped = new Set([keyColumn, ...others.map((o) => o.column)]);
  const extra = result.columns
    .map((c) => c.name)
    .filter((name) => !mapped.has(name) && !TIME_COLUMNS.includes(name))
    .slice(0, MAX_EVIDENCE_COLUMNS)
    .map((name) => ({ name, column: name }));
  const timeAt = TIME_COLUMNS.map((name) => index.get(name)).find((i) => i !== undefined);

  const groups = new Map<string, { value: string; rows: Cell[][] }>();
  for (const row of result.rows) {
    const value = text(row[keyAt]);
    if (value === '') continue; // a row that names no entity cannot be about one
    let group = groups.get(value);
    if (!group) groups.set(value, (group = { value, rows: [] }));
    group.rows.push(row);
  }
  return [...groups.values()].map(({ value, rows }) => {
    const times = timeAt === undefined ? [] : rows.map((r) => text(r[timeAt])).filter((t) => t !== '').sort();
    return {
      deviceId: `${primary.entityType}:${value}`,
      deviceName: cleanName(value) || value,
      firstSeen: times[0] ?? null,
      lastSeen: times[times.length - 1] ?? null,
      count: rows.length,
      reports: [],
      signals: [],
      evidence: [...others, ...extra]
        .map(({ name, column }) => {
          const at = index.get(column);
          const values = at === undefined ? [] : [...new Set(rows.map((r) => text(r[at])).filter((v) => v !== ''))].slice(0, MAX_VALUES);
          return { name, values };
        })
        .filter((e) => e.values.length > 0),
    };
  });
}

/** A query without entity mappings: each row as it came, its first column as the row's name, the next ones as detail. */
export function toRowHits(result: QueryResult): DeviceHit[] {
  const [first, ...rest] = result.columns;
  if (!first) return [];
  const shownColumns = rest.slice(0, MAX_EVIDENCE_COLUMNS + 2);
  return result.rows.map((row, i) => ({
    deviceId: `row:${i + 1}`,
    deviceName: cleanName(text(row[0])) || '(empty)',
    firstSeen: null,
    lastSeen: null,
    count: 1,
    reports: [],
    signals: [],
    evidence: shownColumns.map((c, j) => ({ name: c.name, values: [text(row[j + 1])] })).filter((e) => e.values[0] !== ''),
  }));
}

function text(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return JSON.stringify(cell);
}
