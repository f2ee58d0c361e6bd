import { ARGUMENT_PARTS, ARGUMENT_TYPES, isArgumentType } from './argument-types';
import { isParameterName } from './placeholders';
import { shownText } from './shown-text';
import type { HuntArgument } from '../domain/hunt-definition';

/**
 * Reads a hunt file's `arguments:` declarations (`arguments: { Hash: { type: hash, description: … } }`):
 * the entity a responder names when running the hunt. Kept apart from the rest of the field reading so
 * the file format's schema can change without touching the argument types.
 */
export interface ArgumentDeclarations {
  arguments: HuntArgument[];
  /** Placeholder names the arguments fill: `Hash`, and parts such as `User_Domain`. */
  placeholders: string[];
  problems: string[];
}

/** At most this many arguments per hunt: a lookup is about one thing. */
export const MAX_ARGUMENTS = 4;

export function readArgumentDeclarations(raw: unknown): ArgumentDeclarations {
  const result: ArgumentDeclarations = { arguments: [], placeholders: [], problems: [] };
  if (raw === undefined || raw === null) return result;
  const problem = (field: string, message: string) => result.problems.push(`field '${shownText(field, 80)}' ${message}`);
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problem('arguments', 'must be a mapping of argument name to { type, description }');
    return result;
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_ARGUMENTS) problem('arguments', `may declare at most ${MAX_ARGUMENTS} arguments`);
  for (const [name, spec] of entries.slice(0, MAX_ARGUMENTS)) {
    const field = `arguments.${name}`;
    if (!isParameterName(name)) {
      problem(field, 'must be named with letters, digits and underscores');
      continue;
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      problem(field, 'must be a mapping with type and description');
      continue;
    }
    const { type, description, ...rest } = spec as Record<string, unknown>;
    for (const key of Object.keys(rest)) problem(`${field}.${key}`, 'is not a known field (type, description)');
    if (!isArgumentType(type)) {
      problem(`${field}.type`, `must be one of ${ARGUMENT_TYPES.join(', ')}`);
      continue;
    }
    if (typeof description !== 'string' || description.trim() === '') {
      problem(`${field}.description`, 'must be a non-empty string');
      continue;
    }
    result.arguments.push({ name, type, description });
    result.placeholders.push(name, ...ARGUMENT_PARTS[type].map((part) => `${name}_${part}`));
  }
  return result;
}
