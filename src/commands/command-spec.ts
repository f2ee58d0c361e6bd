import type { CommandReply } from './command-reply';

/** Who sent the command, from the authenticated activity (never from card data). */
export interface Requester {
  /** Channel-specific user id (Teams: the 29: MRI). */
  id: string;
  aadObjectId: string;
  name: string;
  tenantId: string;
  conversationId: string;
  teamId?: string;
  /** User principal name, looked up from Teams only when a policy needs it. */
  upn?: string;
}

/** What a command needs to be allowed: run hunts, or change tags. */
export type Permission = 'anyone' | 'hunt' | 'tag';

export interface CommandSpec {
  /** Stable id, also the first word that selects the command. */
  id: string;
  aliases?: string[];
  usage: string;
  summary: string;
  examples: string[];
  permission: Permission;
  /** Arguments are the words after the command word, lower-cased; `raw` keeps the user's casing. */
  handle(args: CommandArgs, requester: Requester): CommandReply | Promise<CommandReply>;
}

export interface CommandArgs {
  words: string[];
  raw: string[];
}
