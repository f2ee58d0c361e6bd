import { findQueryTimeWindow, type QueryTimeWindow } from '../kql';
import type { BenignScenario, HuntDefinition } from '../domain/hunt-definition';
import { sentinelQueryFields, type HuntFileFields } from './hunt-file-fields';

/**
 * An unmodified Azure-Sentinel hunting query as a hunt: the family comes from its folder (HUNTS_DIR),
 * the tool word from its name, and its own time window is found in the query's syntax tree so the
 * requested window can replace it (see render.ts). Nothing in the file needs to change.
 */

/** Sentinel-format hunts are one query each: their `kind` in the catalog. */
export const SENTINEL_HUNT_KIND = 'query';

const MAX_WINDOW_MS = 30 * 86_400_000;
const DEFAULT_WINDOW_MS = 5 * 86_400_000;
const MAX_SLUG_CHARS = 60;

export function sentinelHuntFrom(
  fields: HuntFileFields,
  source: string,
  family: string,
  defaultScenarios: readonly BenignScenario[],
  findTimeWindow: (kql: string) => QueryTimeWindow = findQueryTimeWindow,
): { hunt: HuntDefinition; problems: string[] } {
  const window = findTimeWindow(fields.query);
  const lookbackMs = window.lookbackMs;
  const primary = fields.entityMappings?.[0]?.fieldMappings[0]?.columnName ?? '';
  const hunt: HuntDefinition = {
    ...sentinelQueryFields(fields),
    family,
    tool: huntSlug(fields.name, fields.id),
    toolName: fields.name,
    kind: SENTINEL_HUNT_KIND,
    aliases: [],
    parameters: [],
    timeColumn: 'TimeGenerated',
    entityKey: primary,
    entityLabel: primary,
    maxWindowMs: MAX_WINDOW_MS,
    // Without a window word the query runs over the window it was written for, when that is recognisable.
    defaultWindowMs: lookbackMs !== undefined && lookbackMs <= MAX_WINDOW_MS && lookbackMs >= 60_000 ? lookbackMs : DEFAULT_WINDOW_MS,
    benignScenarios: defaultScenarios.map((s) => ({ ...s })),
    source,
    format: 'sentinel',
    windowSlots: window.slots.map(({ start, end, role }) => ({ start, end, role })),
  };
  if (fields.entityMappings && fields.entityMappings.length > 0) hunt.entityMappings = fields.entityMappings;
  if (lookbackMs === undefined) hunt.ownWindows = window.lookbacks;
  return { hunt, problems: [] };
}

/**
 * The command word for a hunt name: lower case, accents dropped, every other run of characters a
 * hyphen (`Rare process as service` → `rare-process-as-service`). The same name always gives the same word.
 */
export function huntSlug(name: string, id: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, MAX_SLUG_CHARS).replace(/-+$/, '');
  return cut !== '' ? cut : `hunt-${id.slice(0, 8).toLowerCase()}`;
}
