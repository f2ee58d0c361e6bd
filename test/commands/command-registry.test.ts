import { CommandRegistry, type Authorizer } from '../../src/commands/command-registry';
import type { CommandSpec } from '../../src/commands/command-spec';
import type { Requester } from '../../src/domain/requester';
import { createLogger } from '../../src/logging/logger';

const alice: Requester = { id: '29:alice', aadObjectId: 'a-1', name: 'Alice', tenantId: 't', conversationId: 'c' };

function echo(id: string, permission: CommandSpec['permission'] = 'anyone'): CommandSpec {
  return {
    id,
    usage: id,
    summary: id,
    examples: [id],
    permission,
    handle: (args) => ({ kind: 'text', text: `${id}:${args.words.join(',')}|${args.raw.join(',')}` }),
  };
}

describe('the command registry', () => {
  it('routes by the first word, case-insensitively, and passes lower-cased and raw arguments', async () => {
    const registry = new CommandRegistry().register(echo('hunt'));
    expect(await registry.route('HUNT Rmm DesktopNow 5D', alice)).toEqual({ kind: 'text', text: 'hunt:rmm,desktopnow,5d|Rmm,DesktopNow,5D' });
  });

  it('points to help, with a suggestion, for an unknown command', async () => {
    const registry = new CommandRegistry().register(echo('hunt')).register(echo('help'));
    const reply = await registry.route('hnut rmm', alice);
    expect(reply).toMatchObject({ kind: 'text' });
    if (reply.kind === 'text') {
      expect(reply.text).toContain('`hunt`');
      expect(reply.text).toContain('help');
    }
  });

  it('answers an empty message with a pointer to help', async () => {
    const reply = await new CommandRegistry().register(echo('help')).route('   ', alice);
    expect(reply.kind === 'text' && reply.text).toContain('help');
  });

  it('refuses overlong input before parsing it', async () => {
    const reply = await new CommandRegistry().register(echo('hunt')).route(`hunt ${'x'.repeat(10_000)}`, alice);
    expect(reply.kind === 'text' && reply.text).toContain('too long');
  });

  it('asks the authorizer and names the reason when it refuses', async () => {
    const deny: Authorizer = { check: () => ({ allowed: false, reason: 'this team is not allowed to run hunts' }) };
    const reply = await new CommandRegistry(deny).register(echo('hunt', 'hunt')).route('hunt rmm x', alice);
    expect(reply).toEqual({ kind: 'text', text: "Sorry, you can't use `hunt` here: this team is not allowed to run hunts" });
  });

  it('refuses to register the same word twice', () => {
    expect(() => new CommandRegistry().register(echo('hunt')).register(echo('hunt'))).toThrow('registered twice');
  });
});

describe('what the command registry logs', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines };
  }

  it('logs an unknown command and an overlong message by kind and length, never their text', async () => {
    const { logger, lines } = capture();
    const registry = new CommandRegistry(undefined, logger).register(echo('hunt'));
    await registry.route('exfiltrate secret-token-123', alice);
    await registry.route(`hunt ${'x'.repeat(10_000)}`, alice);
    expect(lines).toEqual([
      expect.objectContaining({ event: 'command-invalid', reason: 'unknown-command', length: 27, user: 'a-1', conversationId: 'c' }),
      expect.objectContaining({ event: 'command-invalid', reason: 'too-long', length: 10_005 }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/exfiltrate|secret-token|xxxx/);
  });

  it('logs a refused command with the command and permission, never the message', async () => {
    const { logger, lines } = capture();
    const deny: Authorizer = { check: () => ({ allowed: false, reason: 'not allowed' }) };
    await new CommandRegistry(deny, logger).register(echo('hunt', 'hunt')).route('hunt rmm private-device-name', alice);
    expect(lines).toEqual([expect.objectContaining({ event: 'command-refused', command: 'hunt', permission: 'hunt', user: 'a-1' })]);
    expect(JSON.stringify(lines)).not.toContain('private-device-name');
  });

  it('logs nothing for a command it routes', async () => {
    const { logger, lines } = capture();
    await new CommandRegistry(undefined, logger).register(echo('hunt')).route('hunt rmm desktopnow', alice);
    expect(lines).toEqual([]);
  });
});
