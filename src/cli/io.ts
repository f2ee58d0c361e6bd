/** Where a CLI command writes (and `chat` reads); injected so commands are testable without spawning processes. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** What `huntbot chat` reads its lines from (default: stdin). */
  input?: NodeJS.ReadableStream;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A CLI subcommand: parses its own args, returns the process exit code, never calls process.exit. */
export type CliCommand = (args: string[], io: CliIO) => Promise<number>;

/**
 * A reader that stops early (`huntbot query ... | head`) closes the pipe: that is not an error, so
 * the process ends quietly with exit 0 instead of an unhandled EPIPE stack trace. Other errors stay fatal.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.EventEmitter, exit: (code: number) => void): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    exit(0);
  });
}
