/** Reads who is in a conversation (the bot layer implements it with the connector's paged members). */
export interface ConversationMembers {
  /**
   * Teams user ids (the `29:` MRIs, as in `activity.from.id`) of up to `max` members of the card target's
   * conversation, in the connector's order: what a card's `refresh.userIds` names.
   * Rejects when they cannot be read; callers fall back to the people they already know.
   */
  userIds(conversation: unknown, max: number): Promise<string[]>;
}
