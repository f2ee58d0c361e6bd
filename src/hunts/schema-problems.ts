import type { ErrorObject, ValidateFunction } from 'ajv';
import { builtValidators, validatorName } from './built-validators';
import { huntSchemasAjv } from './hunt-schemas-ajv';
import { shownText } from './shown-text';

/**
 * Hunt files are checked against the JSON Schemas published in `schemas/` (the same files editors use
 * through `# yaml-language-server: $schema=…`), and ajv's findings become one plain sentence per field:
 * "field 'tactics' must be a list of non-empty strings". The sentence comes from the schema's
 * `errorMessage` annotation where it has one; a value from the file is never quoted.
 */

export { HUNT_EXPECT_SCHEMA, HUNT_FILE_SCHEMA, NO_HUNT_SCHEMA, schemaPath } from './hunt-schemas-ajv';

/** A file that is not a hunt at all has many keys; a few name the mistake. */
const MAX_UNKNOWN_KEYS_SHOWN = 5;

let compiled: ReturnType<typeof huntSchemasAjv> | undefined;
/** The build's compiled validators (built-validators.ts), read on first use; without them the schemas are compiled here. */
let built: Map<string, ValidateFunction> | undefined | null;

/** The compiled schema of a file in `schemas/`, or one of its definitions (`#/definitions/benignScenarios`). */
function validator(file: string, fragment = ''): ValidateFunction {
  if (built === undefined) built = builtValidators() ?? null;
  const kept = built?.get(validatorName(file, fragment));
  if (kept) return kept;
  const { ajv, ids } = (compiled ??= huntSchemasAjv());
  const ref = `${ids.get(file) ?? file}${fragment}`;
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no JSON schema ${ref}`);
  return validate;
}

/**
 * Problems of `value` against the schema `ref`, as sentences naming the field. `field` names the
 * value itself (e.g. "benignScenarios"); '' for a whole file, whose fields are then named bare.
 */
export function schemaProblems(file: string, value: unknown, field = '', fragment = ''): string[] {
  const validate = validator(file, fragment);
  if (validate(value)) return [];
  return sentences(orderForReading(relevant(validate.errors ?? []), value), field);
}

/** Drops the bookkeeping errors of if/then and the pattern error behind a propertyNames error. */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => !['if', 'allOf', 'anyOf', 'oneOf'].includes(e.keyword) && !e.schemaPath.includes('/propertyNames/'));
}

/**
 * People read a file top down: problems come in the order of the file's own fields (array items by
 * position), and within a field its missing parts come after its wrong values.
 */
function orderForReading(errors: ErrorObject[], value: unknown): ErrorObject[] {
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const position = (error: ErrorObject): number => {
    const first = error.instancePath.split('/')[1];
    if (first === undefined) return error.keyword === 'required' ? Number.MAX_SAFE_INTEGER : -1;
    return Array.isArray(value) ? Number(first) : keys.indexOf(first.replace(/~1/g, '/').replace(/~0/g, '~'));
  };
  const isMissing = (error: ErrorObject) => (error.keyword === 'required' ? 1 : 0);
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => position(a.error) - position(b.error) || isMissing(a.error) - isMissing(b.error) || a.index - b.index)
    .map(({ error }) => error);
}

function sentences(errors: ErrorObject[], field: string): string[] {
  const out: string[] = [];
  const seenFields = new Set<string>();
  let unknown = 0;
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      unknown++;
      if (unknown <= MAX_UNKNOWN_KEYS_SHOWN) out.push(`unknown field '${fieldName(error.instancePath, field, String(error.params.additionalProperty))}'`);
      continue;
    }
    const name =
      error.keyword === 'required'
        ? fieldName(error.instancePath, field, String(error.params.missingProperty))
        : error.keyword === 'propertyNames'
          ? fieldName(error.instancePath, field, String(error.params.propertyName))
          : fieldName(error.instancePath, field);
    // One sentence per field: a wrong type also fails the field's pattern, length, … checks.
    if (seenFields.has(name)) continue;
    seenFields.add(name);
    out.push(`field '${name}' ${messageOf(error)}`);
  }
  if (unknown > MAX_UNKNOWN_KEYS_SHOWN) out.push(`and ${unknown - MAX_UNKNOWN_KEYS_SHOWN} more unknown fields`);
  return out;
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  // A propertyNames rule carries its own sentence; other keywords' sentence is on the schema they sit in.
  const annotated = ((error.keyword === 'propertyNames' ? error.schema : error.parentSchema) as { errorMessage?: unknown } | undefined)?.errorMessage;
  if (typeof annotated === 'string') return annotated;
  switch (error.keyword) {
    case 'type':
      return `must be ${String(error.params.type).replace(/,/g, ' or ')}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'minItems':
      return 'must not be empty';
    default:
      return shownText(error.message ?? 'is not valid', 120);
  }
}

/** `/parameters/Vendor/default` → `parameters.Vendor.default`; `/0/id` → `[0].id`, after `field`. */
function fieldName(instancePath: string, field: string, child?: string): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  let name = field;
  for (const segment of segments) name += /^\d+$/.test(segment) ? `[${segment}]` : name === '' ? segment : `.${segment}`;
  // Keys come from the file: shown cleaned and cut short, never as the file wrote them.
  return shownText(name, 80);
}
