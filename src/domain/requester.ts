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
  /** The sender's Teams time zone as the client reported it (IANA name, unchecked); absolute windows are read in it. */
  timeZone?: string;
}

/** What a command needs to be allowed: run hunts, or change tags. */
export type Permission = 'anyone' | 'hunt' | 'tag';
