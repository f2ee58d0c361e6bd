import type { Requester } from '../domain/requester';
import type { AuditEntry } from '../stores/exclusion-store';
import { cleanName } from '../text/display-text';

/**
 * One audit entry by the person who acted: identity from the authenticated requester (never card data),
 * the display name cleaned, no UPN (Teams does not give one we trust). The caller cleans `detail` when it holds user text.
 */
export function auditEntryBy(actor: Requester, action: AuditEntry['action'], searchKey: string, detail: string, at: Date): AuditEntry {
  return {
    action,
    searchKey,
    actorAadObjectId: actor.aadObjectId,
    actorName: cleanName(actor.name),
    actorUpn: '',
    conversationId: actor.conversationId,
    atUtc: at.toISOString(),
    detail,
  };
}
