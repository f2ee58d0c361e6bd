import type { EntityMapping, HuntDefinition, HuntParameter } from '../domain/hunt-definition';

/**
 * A hunt file's fields as `schemas/hunt-file.schema.json` admits them: only valid after the schema
 * check passed. Bot-format files have `family` (and then tool, toolName, kind); Azure-Sentinel files do not.
 */
export interface HuntFileFields {
  id: string;
  name: string;
  description: string;
  requiredDataConnectors?: Array<{ connectorId: string; dataTypes: string[] }>;
  tactics?: string[];
  relevantTechniques?: string[];
  query: string;
  version?: string;
  entityMappings?: EntityMapping[];
  kind?: string;
  family?: string;
  tool?: string;
  toolName?: string;
  aliases?: string[];
  upstreamId?: string;
  timeColumn?: string;
  entityKey?: string;
  entityLabel?: string;
  toolColumn?: string;
  /** Read by hunt-arguments.ts (typed lookup arguments). */
  arguments?: unknown;
  maxWindow?: string;
  defaultWindow?: string;
  parameters?: Record<string, { type: HuntParameter['type']; description: string; default?: string | number | boolean }>;
  benignScenarios?: unknown[];
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The Azure-Sentinel hunting-query fields every hunt has, whichever format its file is in; arrays copied. */
export function sentinelQueryFields(
  fields: HuntFileFields,
): Pick<HuntDefinition, 'id' | 'name' | 'description' | 'requiredDataConnectors' | 'tactics' | 'relevantTechniques' | 'query' | 'version'> {
  return {
    id: fields.id,
    name: fields.name,
    description: fields.description,
    requiredDataConnectors: (fields.requiredDataConnectors ?? []).map((c) => ({ connectorId: c.connectorId, dataTypes: [...c.dataTypes] })),
    tactics: [...(fields.tactics ?? [])],
    relevantTechniques: [...(fields.relevantTechniques ?? [])],
    query: fields.query,
    version: fields.version ?? '1.0.0',
  };
}
