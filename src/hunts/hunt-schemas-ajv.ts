import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Ajv from 'ajv';
import { dependencyVersion, packageRoot } from '../package-root';

export const HUNT_FILE_SCHEMA = 'hunt-file.schema.json';
export const NO_HUNT_SCHEMA = 'no-hunt.schema.json';
/** `expect.yaml` of a hunt's fixtures folder (`huntbot test`). */
export const HUNT_EXPECT_SCHEMA = 'hunt-expect.schema.json';
/** The schema files in `schemas/` hunt files are checked against. */
export const HUNT_SCHEMA_FILES = [HUNT_FILE_SCHEMA, NO_HUNT_SCHEMA, HUNT_EXPECT_SCHEMA] as const;
/** Every schema, or definition of one, the checks ask for: its file and fragment. */
export const CHECKED_SCHEMAS: ReadonlyArray<{ file: string; fragment: string }> = [
  { file: HUNT_FILE_SCHEMA, fragment: '' },
  { file: HUNT_FILE_SCHEMA, fragment: '#/definitions/benignScenarios' },
  { file: NO_HUNT_SCHEMA, fragment: '' },
  { file: HUNT_EXPECT_SCHEMA, fragment: '' },
];

// verbose: the failing schema node (and its errorMessage) comes with each error.
const OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true } as const;

export function schemaPath(file: string): string {
  return path.join(packageRoot(), 'schemas', file);
}

/** An Ajv holding the hunt schemas as the checks use them; `keepSource` keeps the generated code (for the build's copy). */
export function huntSchemasAjv(keepSource = false): { ajv: Ajv; ids: Map<string, string> } {
  // Loaded only here: with the build's compiled validators (built-validators.ts) ajv itself is not needed (~35 ms to load).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const AjvClass = (require('ajv') as typeof import('ajv')).default;
  const ajv = new AjvClass({ ...OPTIONS, code: { source: keepSource } });
  // An annotation for editors (VS Code and yaml-language-server show it) and for the sentences of schema-problems.ts.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  const ids = new Map<string, string>();
  for (const file of HUNT_SCHEMA_FILES) {
    const schema = JSON.parse(fs.readFileSync(schemaPath(file), 'utf8')) as { $id: string };
    ajv.addSchema(schema);
    ids.set(file, schema.$id);
  }
  return { ajv, ids };
}

/**
 * What the validators are compiled from: ajv's release, the options and the schema files' texts. The
 * build's compiled copy (built-validators.ts) is used only under the same key.
 */
export function huntSchemasKey(): string {
  const hash = createHash('sha256').update(`ajv ${dependencyVersion('ajv')}\0${JSON.stringify(OPTIONS)}`);
  for (const file of HUNT_SCHEMA_FILES) hash.update('\0').update(fs.readFileSync(schemaPath(file), 'utf8'));
  return hash.digest('hex');
}
