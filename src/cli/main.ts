import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './command-line';
import { processIO, type CliCommand, type CliIO } from './io';
import { errorMessage } from '../util/error-message';

export { endQuietlyOnClosedPipe } from './io';

const HELP = `huntbot — Sentinel Hunt Bot command line

  huntbot hunt <family> <tool> [<kind>|all] [<window>] [--data DIR] [--show-hidden] [--json]
                                                                              run a hunt as the bot does, hiding devices tagged benign
  huntbot query [--data DIR] [--json] [--now ISO] '<KQL>'                       run KQL on the embedded engine
  huntbot check '<KQL>'                                                         parser diagnostics for KQL
  huntbot validate [DIR...]                                                     check built-in and your hunt files
  huntbot test [DIR...]                                                         run your hunts on their <hunt>.fixtures/ folders
  huntbot gen-data --out DIR [--rows N] [--seed S] [--now ISO]                  write sample Defender telemetry (exactly N rows)
  huntbot chat [--url URL] [--once '<text>' [--json]] [--timeout SECONDS]       talk to a running bot from the terminal

huntbot <command> --help describes a command. Exit codes: 0 success, 1 failure, 2 usage error.
`;

/** Subcommands are loaded on demand so `huntbot check` does not pay for the bot's dependencies. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  hunt: async () => (await import('./hunt-cli-command')).huntCliCommand,
  query: async () => (await import('./query-command')).queryCommand,
  check: async () => (await import('./check-command')).checkCommand,
  validate: async () => (await import('./validate-command')).validateCommand,
  test: async () => (await import('./test-command')).testCommand,
  'gen-data': async () => (await import('./gen-data-command')).genDataCommand,
  chat: async () => (await import('./chat-command')).chatCommand,
};

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest.length > 0 && COMMANDS[rest[0]]) return main([rest[0], '--help'], io);
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`huntbot: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return EXIT_USAGE;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    io.err(`huntbot ${name}: ${errorMessage(error)}`);
    return EXIT_FAILURE;
  }
}
