import type { Cell, QueryResult } from '../kql/types';
import type { DeviceHit } from '../domain/hunt-run';
import { cleanName } from '../text/display-text';

const CORE = new Set(['FirstSeen', 'LastSeen', 'Count', 'Report', 'Signals']);

/**
 * Shapes result rows into per-device hits by column name. Hunts share the core columns
 * (FirstSeen, LastSeen, Report, Count by DeviceId, DeviceName); other columns become evidence.
 */
export function toDeviceHits(result: QueryResult, entityKey: string, entityLabel: string): DeviceHit[] {
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const at = (row: Cell[], name: string): Cell | undefined => {
    const i = index.get(name);
    return i === undefined ? undefined : row[i];
  };
  const evidenceColumns = result.columns
    .map((c) => c.name)
    .filter((name) => name !== entityKey && name !== entityLabel && !CORE.has(name));

  return result.rows.map((row) => ({
    deviceId: asText(at(row, entityKey)),
    // Device names come from telemetry an attacker on the device controls: shown and stored without invisible characters.
    deviceName: cleanName(asText(at(row, entityLabel))) || asText(at(row, entityKey)),
    firstSeen: asNullableText(at(row, 'FirstSeen')),
    lastSeen: asNullableText(at(row, 'LastSeen')),
    count: asNumber(at(row, 'Count')),
    reports: asArray(at(row, 'Report')).map((v) => (typeof v === 'number' ? v : asText(v as Cell))),
    signals: asArray(at(row, 'Signals')).map((v) => asText(v as Cell)),
    evidence: evidenceColumns
      .map((name) => ({ name, values: asArray(at(row, name)).map((v) => asText(v as Cell)).filter((v) => v !== '') }))
      .filter((e) => e.values.length > 0),
  }));
}

function asText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function asNullableText(value: Cell | undefined): string | null {
  const text = asText(value);
  return text === '' ? null : text;
}

function asNumber(value: Cell | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return 0;
}

function asArray(value: Cell | undefined): unknown[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value;
  return [value];
}
