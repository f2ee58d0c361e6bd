import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { packageRoot } from '../package-root';
import { CHECKED_SCHEMAS, huntSchemasAjv, huntSchemasKey } from './hunt-schemas-ajv';
import { replaceFileSync } from '../util/replace-file-sync';

/**
 * Where the build keeps the hunt schemas' validators compiled (ajv's standalone code): compiling them
 * takes ~80 ms of every process that loads the hunt catalog (5–8 ms from this file), and again in every
 * test file that does.
 */
export function builtValidatorsFile(): string {
  return path.join(packageRoot(), 'dist', 'hunt-schemas.validators.js');
}

/** How a validator is named in the file: its schema file and fragment (`hunt-file.schema.json#/definitions/benignScenarios`). */
export function validatorName(file: string, fragment = ''): string {
  return `${file}${fragment}`;
}

const KEY_LINE = /^\/\/ key ([0-9a-f]{64})\n/;

/**
 * The build's validators by validatorName, when the file was made under the current key (the same ajv
 * release, options and schema texts) and holds every one the checks ask for; otherwise none, and the
 * checks compile the schemas as before.
 */
export function builtValidators(file = builtValidatorsFile()): Map<string, ValidateFunction> | undefined {
  try {
    const code = fs.readFileSync(file, 'utf8');
    if (KEY_LINE.exec(code)?.[1] !== huntSchemasKey()) return undefined;
    // The generated module, run with this module's require: its `ajv/dist/runtime/…` resolve as ours do, wherever the file is.
    const loaded: Record<string, unknown> = {};
    new Function('exports', 'require', code)(loaded, require);
    const validators = new Map<string, ValidateFunction>();
    for (const { file: schema, fragment } of CHECKED_SCHEMAS) {
      const validate = loaded[validatorName(schema, fragment)];
      if (typeof validate !== 'function') return undefined;
      validators.set(validatorName(schema, fragment), validate as ValidateFunction);
    }
    return validators;
  } catch {
    return undefined;
  }
}

/** Compiles every validator the checks ask for and writes them to `file` with the key they hold for (`npm run build`). Returns how many. */
export function writeBuiltValidators(file = builtValidatorsFile()): number {
  const { ajv, ids } = huntSchemasAjv(true);
  const refs = Object.fromEntries(CHECKED_SCHEMAS.map(({ file: schema, fragment }) => [validatorName(schema, fragment), `${ids.get(schema) ?? schema}${fragment}`]));
  const code = standaloneCode(ajv, refs);
  replaceFileSync(file, `// key ${huntSchemasKey()}\n${code}`);
  return Object.keys(refs).length;
}
