import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from './io';
import { errorMessage } from '../util/error-message';

/** Exit codes every subcommand shares: a mistake on the command line is 2, a failure while doing the work is 1. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

type OptionSpecs = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** The option values `parseArgs` gives for these specs: strings for string options, booleans for flags. */
export type OptionValues<T extends OptionSpecs> = { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean };

export interface ParsedCommandLine<T extends OptionSpecs> {
  values: OptionValues<T>;
  positionals: string[];
}

/** A mistake on the command line: reported with the usage line, exit 2. */
export class UsageError extends Error {}

export interface CommandSpec<T extends OptionSpecs> {
  /** The subcommand, e.g. `query`. */
  name: string;
  /** One line: `usage: huntbot query ...`. */
  usage: string;
  /** What `--help` prints below the usage line: what the command does and each option. */
  help: string;
  options: T;
  run(parsed: ParsedCommandLine<T>, io: CliIO): Promise<number>;
}

/**
 * A subcommand whose arguments `node:util` parseArgs reads (strict, so an unknown option or an option
 * without its value is a usage error), with `--help`/`-h`, and with a UsageError from `run` reported
 * as `huntbot <name>: <problem>. <usage>` and exit 2.
 */
export function defineCommand<T extends OptionSpecs>(spec: CommandSpec<T>): CliCommand {
  return async (args, io) => {
    let parsed: ParsedCommandLine<T> & { values: { help?: boolean } };
    try {
      const result = parseArgs({ args, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
      parsed = { values: result.values as OptionValues<T> & { help?: boolean }, positionals: result.positionals };
    } catch (error) {
      return usageError(spec, io, parseArgsProblem(error));
    }
    if (parsed.values.help) {
      io.out(`${spec.usage}\n\n${spec.help.trimEnd()}\n`);
      return EXIT_OK;
    }
    try {
      return await spec.run(parsed, io);
    } catch (error) {
      if (error instanceof UsageError) return usageError(spec, io, error.message);
      throw error;
    }
  };
}

function usageError(spec: CommandSpec<OptionSpecs>, io: CliIO, problem: string): number {
  io.err(`huntbot ${spec.name}: ${problem}. ${spec.usage} (--help for details)`);
  return EXIT_USAGE;
}

/** parseArgs' messages are written for programmers ("argument is ambiguous"); these say what to fix. */
function parseArgsProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = errorMessage(error);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${option} takes no value`;
    if (/ambiguous/.test(message)) return `${option} needs a value (for a value starting with "-" write ${option}=VALUE)`;
    return `${option} needs a value`;
  }
  return message;
}

/** A whole number option value at least `min`, or a usage error naming the option. */
export function wholeNumber(option: string, value: string, min: number): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(number) || number < min) throw new UsageError(`${option} must be a whole number of at least ${min} (got ${value})`);
  return number;
}

/** An ISO 8601 time option value, or a usage error naming the option. */
export function isoTime(option: string, value: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`${option} must be an ISO 8601 time (got ${value})`);
  return time;
}
