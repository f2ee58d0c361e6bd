/** Where a CLI command writes; injected so commands are testable without spawning processes. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A CLI subcommand: parses its own args, returns the process exit code, never calls process.exit. */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;
