import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { readBoundedYaml } from '../../src/hunts/bounded-yaml';
import { builtValidators, validatorName, writeBuiltValidators } from '../../src/hunts/built-validators';
import { listHuntFiles, subdirectories } from '../../src/hunts/hunt-folder';
import { CHECKED_SCHEMAS, HUNT_EXPECT_SCHEMA, HUNT_FILE_SCHEMA, NO_HUNT_SCHEMA, huntSchemasAjv } from '../../src/hunts/hunt-schemas-ajv';
import { builtinHuntsDir, packageRoot } from '../../src/hunts/package-paths';

/** Every built-in hunt file's YAML value, and a few of each whose fields are missing, of the wrong type, or unknown. */
function huntFileValues(): unknown[] {
  const values = subdirectories(builtinHuntsDir()).flatMap((folder) =>
    listHuntFiles(folder).files.flatMap((file) => {
      const yaml = readBoundedYaml(fs.readFileSync(file.path, 'utf8'));
      return yaml.ok ? [yaml.value] : [];
    }),
  );
  const sample = values.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)).slice(0, 2);
  const broken = sample.flatMap((value) =>
    Object.keys(value).flatMap((key) => {
      const { [key]: _dropped, ...without } = value;
      return [without, { ...value, [key]: 42 }, { ...value, [key]: null }, { ...value, [key]: [] }, { ...value, [key]: { nested: 'x' } }];
    }),
  );
  return [...values, ...broken, { ...sample[0], unknownField: 1, another: 'x' }, {}, [], 'a string', null];
}

const scenarioValues = (): unknown[] => [[], [{ id: 'backup-job', title: 'Backup', description: 'A backup job' }], [{}], [{ id: 5 }], 'x', [{ id: 'x', title: '', description: 'd', extra: true }]];
const noHuntValues = (): unknown[] => [{}, { reason: 'r' }, { id: 'x', reason: 5 }, { unknown: true }, []];
const expectValues = (): unknown[] => [
  readBoundedYaml(fs.readFileSync(path.join(packageRoot(), 'examples', 'hunts', 'encoded-powershell.fixtures', 'expect.yaml'), 'utf8')),
  { hit: ['a'], miss: 'b' },
  { hit: 3 },
  {},
  { hit: [], other: 1 },
].map((value) => (value && typeof value === 'object' && 'ok' in value && value.ok ? value.value : value));

const VALUES: Record<string, () => unknown[]> = {
  [validatorName(HUNT_FILE_SCHEMA)]: huntFileValues,
  [validatorName(HUNT_FILE_SCHEMA, '#/definitions/benignScenarios')]: scenarioValues,
  [validatorName(NO_HUNT_SCHEMA)]: noHuntValues,
  [validatorName(HUNT_EXPECT_SCHEMA)]: expectValues,
};

/** What a validator says of a value: valid or not, and its errors. */
function verdict(validate: ValidateFunction, value: unknown): unknown {
  const valid = validate(value);
  return { valid, errors: validate.errors ?? null };
}

describe("the build's compiled hunt schema validators", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'built-validators-'));
    file = path.join(dir, 'hunt-schemas.validators.js');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('holds every validator the checks ask for, each giving the verdict and errors the schemas compiled at load give', () => {
    expect(writeBuiltValidators(file)).toBe(CHECKED_SCHEMAS.length);
    const built = builtValidators(file)!;
    const { ajv, ids } = huntSchemasAjv();
    let invalid = 0;
    for (const { file: schema, fragment } of CHECKED_SCHEMAS) {
      const name = validatorName(schema, fragment);
      const compiled = ajv.getSchema(`${ids.get(schema)}${fragment}`)!;
      for (const value of VALUES[name]()) {
        const expected = verdict(compiled, value);
        expect(verdict(built.get(name)!, value)).toStrictEqual(expected);
        if (!(expected as { valid: boolean }).valid) invalid++;
      }
    }
    // The comparison covered failures (with their errors), not only valid files.
    expect(invalid).toBeGreaterThan(40);
  });

  test('is not used when made under another key (ajv, its options or a schema text changed), when missing or damaged, or lacking a validator', () => {
    writeBuiltValidators(file);
    const text = fs.readFileSync(file, 'utf8');
    expect(builtValidators(file)).toBeDefined();
    fs.writeFileSync(file, text.replace(/^\/\/ key [0-9a-f]{64}/, `// key ${'0'.repeat(64)}`));
    expect(builtValidators(file)).toBeUndefined();
    expect(builtValidators(path.join(dir, 'none.js'))).toBeUndefined();
    const damaged = path.join(dir, 'damaged.js');
    fs.writeFileSync(damaged, `${text.split('\n')[0]}\nthis is not JavaScript(`);
    expect(builtValidators(damaged)).toBeUndefined();
    const lacking = path.join(dir, 'lacking.js');
    fs.writeFileSync(lacking, text.replace(`exports["${validatorName(NO_HUNT_SCHEMA)}"]`, 'exports["renamed"]'));
    expect(builtValidators(lacking)).toBeUndefined();
  });
});
