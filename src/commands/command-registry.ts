import { MAX_COMMAND_LENGTH, normalizeCommandText, tokenize } from './command-text';
import type { CommandReply } from './command-reply';
import type { CommandSpec } from './command-spec';
import type { Permission, Requester } from '../domain/requester';
import { didYouMean } from '../util/did-you-mean';
import type { Logger } from '../logging/logger';
import { newCorrelationId, userErrorText } from '../text/user-error';

/** Decides whether a person may use a permission; the bot's authorization policy implements it. */
export interface Authorizer {
  check(requester: Requester, permission: Permission): { allowed: true } | { allowed: false; reason: string };
}

export const allowEveryone: Authorizer = { check: () => ({ allowed: true }) };

/** Routes command text to declared command specs (one place that parses, authorizes and dispatches). */
export class CommandRegistry {
  private readonly byWord = new Map<string, CommandSpec>();
  private readonly ordered: CommandSpec[] = [];

  constructor(
    private readonly authorizer: Authorizer = allowEveryone,
    private readonly logger?: Logger,
  ) {}

  register(spec: CommandSpec): this {
    for (const word of [spec.id, ...(spec.aliases ?? [])]) {
      if (this.byWord.has(word)) throw new Error(`command word "${word}" is registered twice`);
      this.byWord.set(word, spec);
    }
    this.ordered.push(spec);
    return this;
  }

  specs(): readonly CommandSpec[] {
    return this.ordered;
  }

  /** Never throws: every input gets a reply. */
  async route(rawText: string, requester: Requester): Promise<CommandReply> {
    if (rawText.length > MAX_COMMAND_LENGTH * 4) return this.invalid(requester, 'too-long', rawText.length, tooLong());
    const text = normalizeCommandText(rawText);
    if (text.length > MAX_COMMAND_LENGTH) return this.invalid(requester, 'too-long', rawText.length, tooLong());
    const raw = tokenize(text);
    if (raw.length === 0) return { kind: 'text', text: 'Say `help` to see what I can do, e.g. `hunt rmm desktopnow 5d`.' };
    const words = raw.map((w) => w.toLowerCase());
    const spec = this.byWord.get(words[0]);
    if (!spec) {
      const close = didYouMean(words[0], [...this.byWord.keys()]);
      const hint = close.length > 0 ? ` Did you mean \`${close[0]}\`?` : '';
      const reply: CommandReply = { kind: 'text', text: `I don't know "${clip(raw[0])}".${hint} Say \`help\` for the commands and examples.` };
      return this.invalid(requester, 'unknown-command', rawText.length, reply);
    }
    const decision = this.authorizer.check(requester, spec.permission);
    if (!decision.allowed) {
      this.logger?.info(
        { event: 'command-refused', command: spec.id, permission: spec.permission, user: requester.aadObjectId || requester.id, conversationId: requester.conversationId },
        'command refused by authorization policy',
      );
      await spec.onRefused?.({ words: words.slice(1), raw: raw.slice(1) }, requester, decision.reason).catch((error: unknown) =>
        this.logger?.error({ event: 'refusal-audit-failed', command: spec.id, err: error }, 'could not record a refused command'),
      );
      return { kind: 'text', text: `Sorry, you can't use \`${spec.id}\` here: ${decision.reason}` };
    }
    try {
      return await spec.handle({ words: words.slice(1), raw: raw.slice(1) }, requester);
    } catch (error) {
      // The reply names what failed without server paths; the full error is logged under the correlation id.
      const correlationId = newCorrelationId();
      this.logger?.warn({ event: 'command-failed', correlationId, command: spec.id, err: error }, 'command failed');
      return { kind: 'text', text: `Sorry, \`${spec.id}\` failed: ${userErrorText(error)}. Please try again (correlation id ${correlationId}).` };
    }
  }

  /** Logged by kind and length only: what people type (a message body) never reaches the logs. */
  private invalid(requester: Requester, reason: 'too-long' | 'unknown-command', length: number, reply: CommandReply): CommandReply {
    this.logger?.info(
      { event: 'command-invalid', reason, length, user: requester.aadObjectId || requester.id, conversationId: requester.conversationId },
      'message is not a command',
    );
    return reply;
  }
}

function tooLong(): CommandReply {
  return { kind: 'text', text: `That message is too long for a command (limit ${MAX_COMMAND_LENGTH} characters). Try \`help\`.` };
}

/** Keeps echoed user text short in replies. */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
