import { readHuntsDirs } from '../config/config';
import { HuntCatalog } from '../hunts/catalog';
import type { CliCommand } from './io';

/**
 * `huntbot validate [DIR...]`: loads the built-in hunts and the given folders (default: HUNTS_DIR) the
 * way the bot does, prints every problem with its file and reason, and exits 1 if there was any.
 */
export const validateCommand: CliCommand = async (args, io) => {
  const options = args.filter((a) => a.startsWith('-'));
  if (options.length > 0) {
    io.err(`huntbot validate: unknown option ${options[0]}\nusage: huntbot validate [DIR...]`);
    return 2;
  }
  // Folders named on the command line replace HUNTS_DIR, so a file can be checked before it is deployed.
  const { catalog, problems } = HuntCatalog.load({ huntsDirs: args.length > 0 ? args : readHuntsDirs(process.env) });
  for (const problem of problems) io.err(`${problem.path}: ${problem.reason}`);
  const userHunts = catalog.hunts().filter((h) => h.source !== 'builtin').length;
  io.out(`${catalog.size} hunts valid (${catalog.size - userHunts} built-in, ${userHunts} from your folders); ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  return problems.length > 0 ? 1 : 0;
};
