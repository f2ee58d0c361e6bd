import type { Activity } from 'botbuilder';
import type { Requester } from '../domain/requester';
import { cleanName } from '../text/display-text';
import { senderTimeZone } from '../commands/sender-time-zone';

/**
 * Who is asking, read from the authenticated activity only. Card data and message text never
 * supply identity.
 */
export function requesterFromActivity(activity: Partial<Activity>): Requester {
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string } };
  return {
    id: activity.from?.id ?? '',
    aadObjectId: activity.from?.aadObjectId ?? '',
    // Display names are set by the user: no bidi overrides or invisible characters on cards or in the audit.
    name: cleanName(activity.from?.name ?? ''),
    tenantId: activity.conversation?.tenantId ?? channelData.tenant?.id ?? '',
    conversationId: activity.conversation?.id ?? '',
    teamId: channelData.team?.id,
    timeZone: senderTimeZone(activity),
  };
}
