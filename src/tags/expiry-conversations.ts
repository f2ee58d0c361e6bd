import type { RunConversation } from '../domain/hunt-run';
import type { Logger } from '../logging/logger';
import { updateState, type StateStore } from '../state/state-store';

/** A conversation where tags were made: where to post (the bot layer's opaque reference) and which tags it made last. */
export interface TagConversation {
  conversation: RunConversation;
  /** The bot layer's conversation reference, taken from the authenticated activity of the tag save. */
  reference: unknown;
  searchKeys: string[];
}

interface TagConversationIndex {
  conversations: TagConversation[];
}

const KEY = 'tag-expiry/conversations';
/** Bounds on the one shared record (Blob state keeps it as a single small JSON blob). */
const MAX_CONVERSATIONS = 500;
const MAX_TAGS_PER_CONVERSATION = 2000;

/**
 * Where each tag was last saved, kept in the shared run state (memory or Blob, like runs) so whichever
 * instance runs the daily expiry job can post into that conversation. A tag re-saved elsewhere moves there.
 */
export class TagConversations {
  constructor(
    private readonly state: StateStore,
    private readonly logger: Logger,
  ) {}

  /** Never rejects: the tag is saved already, and a missing reference only means no expiry card for it. */
  async remember(searchKey: string, conversation: RunConversation, reference: unknown): Promise<void> {
    try {
      await updateState<TagConversationIndex>(this.state, KEY, (current) => withTag(current, searchKey, conversation, reference));
    } catch (error) {
      this.logger.warn({ event: 'tag-conversation-not-kept', searchKey, err: error }, 'could not keep where this tag was made; it gets no expiry card');
    }
  }

  async all(): Promise<TagConversation[]> {
    return (await this.state.read<TagConversationIndex>(KEY))?.value.conversations ?? [];
  }
}

function withTag(current: TagConversationIndex | undefined, searchKey: string, conversation: RunConversation, reference: unknown): TagConversationIndex {
  const others = (current?.conversations ?? [])
    .filter((c) => !sameConversation(c.conversation, conversation))
    .map((c) => ({ ...c, searchKeys: c.searchKeys.filter((k) => k !== searchKey) }))
    .filter((c) => c.searchKeys.length > 0);
  const mine = current?.conversations.find((c) => sameConversation(c.conversation, conversation));
  const searchKeys = [...(mine?.searchKeys ?? []).filter((k) => k !== searchKey), searchKey].slice(-MAX_TAGS_PER_CONVERSATION);
  // The most recently used conversation goes last; the longest-idle ones are dropped first when full.
  return { conversations: [...others, { conversation, reference, searchKeys }].slice(-MAX_CONVERSATIONS) };
}

function sameConversation(a: RunConversation, b: RunConversation): boolean {
  return a.id === b.id && a.tenantId.toLowerCase() === b.tenantId.toLowerCase();
}
