import { parse as parseYaml } from 'yaml';
import { FieldReader } from './field-reader';
import { MAX_YAML_ALIASES } from './hunt-file';
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
  if (!FieldReader.isMapping(document)) return { problems: ['the file must be a mapping with family, tools and kinds'] };
  const reader = new FieldReader(document);
  reader.rejectUnknownKeys(['family', 'tools', 'kinds']);
  const data: NoHuntData = {
    family: reader.string('family'),
    tools: listOf(reader, 'tools', (item) => ({
      tool: item.string('tool'),
      toolName: item.string('toolName'),
      aliases: item.stringList('aliases'),
      reason: item.string('reason'),
      seeAlso: item.stringList('seeAlso'),
    })),
    kinds: listOf(reader, 'kinds', (item) => ({ tool: item.string('tool'), kind: item.string('kind'), reason: item.string('reason') })),
  };
  return reader.problems.length > 0 ? { problems: reader.problems } : { data, problems: [] };
}

function listOf<T>(reader: FieldReader, field: string, read: (item: FieldReader) => T): T[] {
  const raw = reader.raw(field) ?? [];
  if (!Array.isArray(raw)) {
    reader.problem(field, 'must be a list');
    return [];
  }
  return raw.map((entry, index) => {
    const item = new FieldReader(FieldReader.isMapping(entry) ? entry : {}, `${field}[${index}].`);
    const value = read(item);
    reader.problems.push(...item.problems);
    return value;
  });
}
