import type { Permission, Requester } from '../domain/requester';
import type { CommandReply } from './command-reply';


export interface CommandSpec {
  /** Stable id, also the first word that selects the command. */
  id: string;
  aliases?: string[];
  usage: string;
  summary: string;
  examples: string[];
  permission: Permission;
  /** Called when the authorization policy refuses the command (after it is logged), e.g. to audit the refusal. */
  onRefused?(args: CommandArgs, requester: Requester, reason: string): Promise<void>;
  /** Arguments are the words after the command word, lower-cased; `raw` keeps the user's casing. */
  handle(args: CommandArgs, requester: Requester): CommandReply | Promise<CommandReply>;
}

export interface CommandArgs {
  words: string[];
  raw: string[];
}
