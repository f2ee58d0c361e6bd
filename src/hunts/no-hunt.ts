import { parse as parseYaml } from 'yaml';
import { isMapping } from './hunt-file-fields';
import { NO_HUNT_SCHEMA, schemaProblems } from './schema-problems';
import { MAX_YAML_ALIASES } from './bounded-yaml';
import { shownText } from './shown-text';
import { errorMessage } from '../util/error-message';

/**
 * `<family>/_no-hunt.yaml`: tools the family knows but has no hunt for, and single signal kinds a tool
 * lacks, each with the reason, so `hunt rmm auvik` explains itself instead of saying "unknown tool".
 */
export interface NoHuntTool {
  tool: string;
  toolName: string;
  aliases: string[];
  reason: string;
  /** Tools whose hunts cover this one (e.g. a product built on ConnectWise Control). */
  seeAlso: string[];
}

export interface MissingKind {
  tool: string;
  kind: string;
  reason: string;
}

export interface NoHuntData {
  family: string;
  tools: NoHuntTool[];
  kinds: MissingKind[];
}

export function parseNoHuntFile(text: string): { data?: NoHuntData; problems: string[] } {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    return { problems: [`invalid YAML: ${shownText(errorMessage(error).split('\n')[0], 160)}`] };
  }
  if (!isMapping(document)) return { problems: ['the file must be a mapping with family, tools and kinds'] };
  const problems = schemaProblems(NO_HUNT_SCHEMA, document);
  if (problems.length > 0) return { problems };
  const fields = document as { family: string; tools?: Array<Partial<NoHuntTool>>; kinds?: MissingKind[] };
  return {
    data: {
      family: fields.family,
      tools: (fields.tools ?? []).map((t) => ({ tool: t.tool!, toolName: t.toolName!, aliases: t.aliases ?? [], reason: t.reason!, seeAlso: t.seeAlso ?? [] })),
      kinds: (fields.kinds ?? []).map((k) => ({ tool: k.tool, kind: k.kind, reason: k.reason })),
    },
    problems: [],
  };
}
