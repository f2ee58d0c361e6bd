import { EventEmitter } from 'node:events';
import { chatCommand } from '../../src/cli/chat-command';
import { checkCommand } from '../../src/cli/check-command';
import { genDataCommand } from '../../src/cli/gen-data-command';
import { huntCliCommand } from '../../src/cli/hunt-cli-command';
import { endQuietlyOnClosedPipe, type CliCommand } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { queryCommand } from '../../src/cli/query-command';
import { testCommand } from '../../src/cli/test-command';
import { validateCommand } from '../../src/cli/validate-command';
import { capturedIO } from '../support/captured-io';

const COMMANDS: Array<[string, CliCommand]> = [
  ['hunt', huntCliCommand],
  ['query', queryCommand],
  ['check', checkCommand],
  ['validate', validateCommand],
  ['test', testCommand],
  ['gen-data', genDataCommand],
  ['chat', chatCommand],
];

describe('every huntbot subcommand', () => {
  it.each(COMMANDS)('%s --help prints its usage and options and exits 0 without doing anything', async (name, command) => {
    for (const flag of ['--help', '-h']) {
      const io = capturedIO();
      expect(await command([flag], io)).toBe(0);
      expect(io.stdout.join('\n')).toMatch(new RegExp(`^usage: huntbot ${name}`));
      expect(io.stdout.join('\n')).toMatch(/Exit 0 .*1 .*2 on a usage error/s);
      expect(io.stderr).toEqual([]);
    }
  });

  it.each(COMMANDS)('%s refuses an unknown option with one line naming it and the usage, exit 2', async (name, command) => {
    const io = capturedIO();
    expect(await command(['--frobnicate'], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(new RegExp(`^huntbot ${name}: unknown option --frobnicate\\. usage: huntbot ${name}`));
  });

  it.each([
    ['hunt', huntCliCommand, ['rmm', 'desktopnow', '--data']],
    ['query', queryCommand, ['print 1', '--data']],
    ['gen-data', genDataCommand, ['--out']],
    ['chat', chatCommand, ['--url']],
  ] as const)('%s says an option given without its value needs one (exit 2)', async (_name, command, args) => {
    const io = capturedIO();
    expect(await command([...args], io)).toBe(2);
    expect(io.stderr[0]).toMatch(new RegExp(`: ${args[args.length - 1]} needs a value\\.`));
  });

  it('says an option followed by another option needs a value, and how to pass one starting with "-"', async () => {
    const io = capturedIO();
    expect(await queryCommand(['--data', '--json', 'print 1'], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/--data needs a value \(for a value starting with "-" write --data=VALUE\)/);
  });

  it('refuses a value on a flag that takes none', async () => {
    const io = capturedIO();
    expect(await queryCommand(['--json=yes', 'print 1'], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/--json takes no value/);
  });
});

describe('huntbot', () => {
  it('prints the command list and exits 2 without a command, 0 when asked for help', async () => {
    const bare = capturedIO();
    expect(await main([], bare)).toBe(2);
    expect(bare.stdout.join('')).toMatch(/huntbot <command> --help/);
    const asked = capturedIO();
    expect(await main(['--help'], asked)).toBe(0);
  });

  it('"huntbot help <command>" is that command\'s --help', async () => {
    const io = capturedIO();
    expect(await main(['help', 'gen-data'], io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/^usage: huntbot gen-data/);
  });

  it('refuses an unknown command with exit 2', async () => {
    const io = capturedIO();
    expect(await main(['hnt'], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/unknown command "hnt"/);
  });
});

describe('output piped into a reader that stops early (huntbot query ... | head)', () => {
  it('ends the process quietly with exit 0 when stdout reports EPIPE', () => {
    const stdout = new EventEmitter();
    const exits: number[] = [];
    endQuietlyOnClosedPipe(stdout, (code) => exits.push(code));
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(exits).toEqual([0]);
  });

  it('still fails loudly on any other stdout error', () => {
    const stdout = new EventEmitter();
    const exits: number[] = [];
    endQuietlyOnClosedPipe(stdout, (code) => exits.push(code));
    expect(() => stdout.emit('error', Object.assign(new Error('no space left'), { code: 'ENOSPC' }))).toThrow(/no space left/);
    expect(exits).toEqual([]);
  });
});
