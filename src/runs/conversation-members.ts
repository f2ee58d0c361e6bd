/** Reads who is in a conversation (the bot layer implements it with the connector's paged members). */
export interface ConversationMembers {
  /**
   * AAD object ids of up to `max` members of the card target's conversation, in the connector's order.
   * Rejects when they cannot be read; callers fall back to the people they already know.
   */
  aadObjectIds(conversation: unknown, max: number): Promise<string[]>;
}
