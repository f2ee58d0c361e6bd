import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { cacheDirOf, parseHuntFolders, readHuntFolders } from '../config/config';
import { withBuiltinVerdicts } from '../hunts/builtin-verdicts';
import { HuntCatalog } from '../hunts/catalog';
import { QueryCheckCache, schemaVersion } from '../hunts/query-check-cache';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK, defineCommand } from './command-line';
import { SCHEMA_HELP, SCHEMA_OPTIONS, SchemaUnavailable, chooseSchema } from './schema-option';

/** `huntbot validate`, with the identity `--workspace` uses (tests pass their own). */
export function validateCommandWith(deps: { credential?: TokenCredential } = {}) {
  return defineCommand({
    name: 'validate',
    usage: 'usage: huntbot validate [--schema FILE | --workspace] [DIR...]',
    help: `Loads the built-in hunts and your hunt folders the way the bot does at start (schema, placeholders, the
Kusto parser against the table schemas) and prints every problem with its file and reason.
Folders named here replace HUNTS_DIR; without any, HUNTS_DIR is checked.

${SCHEMA_HELP}
The parser's verdicts on another schema are kept in HUNT_CACHE_DIR/kql-checks.json (default
./.huntbot/cache), as the bot keeps them, so a later run on the same schema analyses only what changed.

Exit 0 when every hunt is valid, 1 on any problem (or when the schema asked for cannot be read), 2 on a usage error.`,
    options: SCHEMA_OPTIONS,
    run: async ({ values, positionals: dirs }, io) => {
      let schema;
      try {
        schema = await chooseSchema(values, { env: process.env, credential: deps.credential });
      } catch (error) {
        if (!(error instanceof SchemaUnavailable)) throw error;
        io.err(`huntbot validate: ${error.message}`);
        return EXIT_FAILURE;
      }
      const ownSchema = schema.fingerprint !== undefined;
      // As the bot's start: the build's verdicts answer for the built-in hunts (~200 analyses) on the bundled schema; on
      // another schema, the verdicts kept in HUNT_CACHE_DIR under its fingerprint (the bot's own, for the same workspace).
      const kept = ownSchema ? new QueryCheckCache(path.join(cacheDirOf(process.env), 'kql-checks.json'), schema.check, schemaVersion(schema.fingerprint)) : undefined;
      const checkQuery = kept ? kept.check : withBuiltinVerdicts(schema.check);
      // Folders named on the command line replace HUNTS_DIR, so a file can be checked before it is deployed.
      const { catalog, problems } = HuntCatalog.load({ huntFolders: dirs.length > 0 ? parseHuntFolders(dirs.join(path.delimiter)) : readHuntFolders(process.env), checkQuery });
      kept?.flush();
      for (const problem of problems) io.err(`${problem.path}: ${problem.reason}`);
      const userHunts = catalog.hunts().filter((h) => h.source !== 'builtin').length;
      const against = ownSchema ? `; checked against ${schema.description}` : '';
      io.out(`${catalog.size} hunts valid (${catalog.size - userHunts} built-in, ${userHunts} from your folders); ${countOf(problems.length, 'problem')}${against}`);
      return problems.length > 0 ? EXIT_FAILURE : EXIT_OK;
    },
  });
}

/** `huntbot validate [DIR...]`: the bot's start-up checks of the hunts, from the command line; exit 1 on any problem. */
export const validateCommand = validateCommandWith();
