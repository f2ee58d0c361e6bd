import * as path from 'node:path';
import { parseHuntFolders, readHuntFolders } from '../config/config';
import { HuntCatalog } from '../hunts/catalog';
import { countOf } from '../text/count-text';
import { EXIT_FAILURE, EXIT_OK, defineCommand } from './command-line';

/**
 * `huntbot validate [DIR...]`: loads the built-in hunts and the given folders (default: HUNTS_DIR) the
 * way the bot does, prints every problem with its file and reason, and exits 1 if there was any.
 */
export const validateCommand = defineCommand({
  name: 'validate',
  usage: 'usage: huntbot validate [DIR...]',
  help: `Loads the built-in hunts and your hunt folders the way the bot does at start (schema, placeholders, the
Kusto parser against the table schemas) and prints every problem with its file and reason.
Folders named here replace HUNTS_DIR; without any, HUNTS_DIR is checked.

Exit 0 when every hunt is valid, 1 on any problem, 2 on a usage error.`,
  options: {},
  run: async ({ positionals: dirs }, io) => {
    // Folders named on the command line replace HUNTS_DIR, so a file can be checked before it is deployed.
    const { catalog, problems } = HuntCatalog.load({ huntFolders: dirs.length > 0 ? parseHuntFolders(dirs.join(path.delimiter)) : readHuntFolders(process.env) });
    for (const problem of problems) io.err(`${problem.path}: ${problem.reason}`);
    const userHunts = catalog.hunts().filter((h) => h.source !== 'builtin').length;
    io.out(`${catalog.size} hunts valid (${catalog.size - userHunts} built-in, ${userHunts} from your folders); ${countOf(problems.length, 'problem')}`);
    return problems.length > 0 ? EXIT_FAILURE : EXIT_OK;
  },
});
