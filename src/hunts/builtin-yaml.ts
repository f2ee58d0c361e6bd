import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { MAX_YAML_ALIASES, readBoundedYaml, type YamlReadResult } from './bounded-yaml';
import { listHuntFiles, readHuntFile, subdirectories } from './hunt-folder';
import { dependencyVersion } from '../package-root';
import { builtinHuntsDir, packageRoot } from './package-paths';
import { sha256Hex } from '../util/sha256-hex';
import { replaceFileSync } from '../util/replace-file-sync';

/** Reads one hunt file's YAML: readBoundedYaml, or an equal answer from elsewhere. */
export type YamlReader = (text: string) => YamlReadResult;

/** Bumped when the file's shape changes: a file of another version is not read. */
const FORMAT = 1;

interface BuiltinYamlFile {
  format: number;
  /** What parsed the values (yamlParser()): values from another `yaml` release or alias cap are not read. */
  parser: string;
  /** SHA-256 of a built-in hunt file's text → its YAML value as JSON text. */
  values: Record<string, string>;
}

/**
 * Where the build keeps the YAML values of the built-in hunt files: every process that loads the
 * catalog (the bot, each `huntbot` command) then reads one JSON file instead of parsing ~200 YAML files
 * (~150 ms in a plain process, ~300 ms per test file under jest).
 */
export function builtinYamlFile(): string {
  return path.join(packageRoot(), 'dist', 'hunts.builtin-yaml.json');
}

/**
 * The parsing the values stand for: the file's hash covers the text only, so an upgraded `yaml` package
 * (npm update, a dependency bump without a build) or another alias cap must not be answered by old values.
 */
function yamlParser(): string {
  return `yaml ${dependencyVersion('yaml')}, ${MAX_YAML_ALIASES} aliases`;
}

/**
 * readBoundedYaml, answered from `file` for a text the build saw (the same SHA-256): a fresh copy of
 * the value each time, as parsing gives. Any other text, or no usable file, is parsed as ever.
 */
export function builtinYamlReader(file = builtinYamlFile()): YamlReader {
  let values: Record<string, string> | undefined;
  return (text) => {
    values ??= readValues(file);
    const hash = sha256Hex(text);
    const json = Object.prototype.hasOwnProperty.call(values, hash) ? values[hash] : undefined;
    const value = typeof json === 'string' ? keptValue(json) : undefined;
    return value === undefined ? readBoundedYaml(text) : { ok: true, value };
  };
}

/** A kept value, or undefined for a damaged one: that file is parsed rather than lost from the catalog. */
function keptValue(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** The value as JSON text when JSON carries it exactly; undefined for `.inf`, dates, -0, a recursive alias... */
function exactJson(value: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined; // a recursive alias: one file parsed at load, not every file
  }
  return json !== undefined && isDeepStrictEqual(JSON.parse(json), value) ? json : undefined;
}

function readValues(file: string): Record<string, string> {
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<BuiltinYamlFile>;
    if (kept.format !== FORMAT || kept.parser !== yamlParser() || !kept.values || typeof kept.values !== 'object') return {};
    return kept.values;
  } catch {
    return {};
  }
}

/**
 * Parses every file under the built-in hunt folders and writes their values to `file` (`npm run build`).
 * A value JSON cannot carry exactly (a YAML `.inf`, a recursive alias, say) is left out, so that file is parsed at load.
 * Returns how many values were kept.
 */
export function writeBuiltinYaml(file = builtinYamlFile(), dir = builtinHuntsDir()): number {
  const values: Record<string, string> = {};
  for (const folder of subdirectories(dir)) {
    for (const entry of listHuntFiles(folder).files) {
      const read = readHuntFile(entry);
      if ('reason' in read) continue;
      const yaml = readBoundedYaml(read.text);
      if (!yaml.ok) continue;
      const json = exactJson(yaml.value);
      if (json !== undefined) values[sha256Hex(read.text)] = json;
    }
  }
  // Whole or not at all: a bot or test starting during a build reads the old file or the new one.
  replaceFileSync(file, JSON.stringify({ format: FORMAT, parser: yamlParser(), values } satisfies BuiltinYamlFile));
  return Object.keys(values).length;
}
