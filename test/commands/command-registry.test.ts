import { CommandRegistry, type Authorizer } from '../../src/commands/command-registry';
import type { CommandSpec } from '../../src/commands/command-spec';
import type { Requester } from '../../src/domain/requester';

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
