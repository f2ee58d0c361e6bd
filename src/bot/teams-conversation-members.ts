import { TeamsInfo, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConversationMembers } from '../runs/conversation-members';

/** Members per connector call (Teams accepts 50–500). */
const PAGE_SIZE = 100;
/** A conversation's members are reused this long: a burst of hunts in one channel reads them once. */
const DEFAULT_TTL_MS = 5 * 60_000;
/** Conversations remembered at once; the oldest is forgotten first. */
const DEFAULT_MAX_CONVERSATIONS = 500;

interface Entry {
  at: number;
  ids: Promise<string[]>;
}

/**
 * The conversation's members through the Bot Framework connector
 * (`GET /v3/conversations/{id}/pagedmembers`, continuation followed until `max` are known),
 * read in a proactive turn from the card's stored conversation reference and cached per conversation.
 */
export class TeamsConversationMembers implements ConversationMembers {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    private readonly options: { ttlMs?: number; maxConversations?: number; now?: () => number } = {},
  ) {}

  userIds(conversation: unknown, max: number): Promise<string[]> {
    const reference = conversation as Partial<ConversationReference>;
    const key = reference.conversation?.id;
    if (!key) return Promise.reject(new Error('the card has no conversation id'));
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.options.ttlMs ?? DEFAULT_TTL_MS)) return cached.ids.then((ids) => ids.slice(0, max));
    const ids = this.read(reference, max);
    this.remember(key, { at: now, ids });
    // A failed read is not cached: the next card asks again.
    ids.catch(() => {
      if (this.cache.get(key)?.ids === ids) this.cache.delete(key);
    });
    return ids;
  }

  private remember(key: string, entry: Entry): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    const limit = this.options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    while (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async read(reference: Partial<ConversationReference>, max: number): Promise<string[]> {
    const ids: string[] = [];
    let failure: { error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        let token: string | undefined;
        do {
          const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
          for (const member of page.members ?? []) if (member.id && !ids.includes(member.id)) ids.push(member.id);
          token = page.continuationToken || undefined;
        } while (token && ids.length < max);
      } catch (error) {
        // Thrown inside the turn, the adapter would hand it to onTurnError, which answers in the channel.
        failure = { error };
      }
    });
    if (failure) throw failure.error;
    return ids.slice(0, max);
  }
}
