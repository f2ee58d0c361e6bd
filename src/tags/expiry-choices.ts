import type { Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';
import type { AuditEntry, ExclusionStore } from '../stores/exclusion-store';
import { cleanName } from '../text/display-text';
import { auditEntryBy } from './audit-entry';
import { newCorrelationId, userErrorText } from '../text/user-error';
import { formatUtc } from './expiry-card';
import type { ExpiryNotice, ExpiryNotices } from './expiry-notices';

export const EXTEND_DAYS = [30, 90] as const;

/** What a press did: the notice as stored afterwards, and the sentence for the person who pressed. */
export interface ExpiryChoiceOutcome {
  notice: ExpiryNotice;
  message: string;
  /** True when the card everyone sees changed (a row was settled). */
  changed: boolean;
}

/**
 * Extend / Let expire on an admitted expiring-tags card. A row is settled first (ETag-guarded), so of two
 * presses at once exactly one acts and the other is told who did; then the tag is re-saved with its new
 * expiry (audited with who and old → new). If that write fails the row is reopened and nothing changed.
 */
export class TagExpiryChoices {
  constructor(
    private readonly store: ExclusionStore,
    private readonly notices: ExpiryNotices,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async extend(notice: ExpiryNotice, searchKey: string, days: number, actor: Requester): Promise<ExpiryChoiceOutcome> {
    const row = notice.rows.find((r) => r.searchKey === searchKey);
    if (!row) return { notice, message: 'That tag is not on this card.', changed: false };
    if (row.settled !== undefined) return { notice, message: `Nothing changed: this tag was already decided. ${row.settled}`, changed: false };
    const tag = (await this.store.list(row.huntKey)).find((t) => t.searchKey === searchKey);
    if (!tag) return this.settleOnly(notice, searchKey, `${row.deviceName} (${row.huntKey}): the tag had been removed, so there was nothing to extend.`, 'Nothing was extended: this tag has been removed since the card was posted.');
    if (tag.expiresAtUtc === '') {
      return this.settleOnly(notice, searchKey, `${row.deviceName} (${row.huntKey}): the tag no longer expires.`, 'Nothing changed: this tag was changed to never expire since the card was posted.');
    }
    const now = this.now();
    const from = Math.max(now.getTime(), Date.parse(tag.expiresAtUtc));
    const newExpiry = new Date(from + days * 86_400_000).toISOString();
    const who = cleanName(actor.name) || 'someone';
    const settled = `${row.deviceName} (${row.huntKey}): extended ${days} days by ${who}, now expires ${formatUtc(newExpiry)} (was ${formatUtc(tag.expiresAtUtc)}).`;
    const claim = await this.notices.settle(notice.noticeId, searchKey, settled);
    if (!claim.settledNow) return { notice: claim.notice, message: `Nothing changed: someone decided this tag just before you. ${rowOf(claim.notice, searchKey)}`, changed: false };
    const entry = this.entry(actor, searchKey, `extend ${days} days: expiry ${tag.expiresAtUtc} -> ${newExpiry}`);
    try {
      await this.store.upsert({ ...tag, expiresAtUtc: newExpiry }, entry);
    } catch (error) {
      const correlationId = newCorrelationId();
      this.logger.warn({ event: 'tag-extend-failed', correlationId, searchKey, err: error }, 'tag expiry not extended');
      const reopened = await this.notices.reopen(notice.noticeId, searchKey).catch(() => claim.notice);
      return { notice: reopened, message: `The tag was NOT extended: ${userErrorText(error)} It still expires ${formatUtc(tag.expiresAtUtc)}. (correlation id ${correlationId})`, changed: reopened !== claim.notice };
    }
    this.logger.info({ event: 'tag-audit', ...entry, outcome: 'saved' }, `extend ${searchKey}`);
    return { notice: claim.notice, message: `Extended: ${settled}`, changed: true };
  }

  async letExpire(notice: ExpiryNotice, searchKey: string, actor: Requester): Promise<ExpiryChoiceOutcome> {
    const row = notice.rows.find((r) => r.searchKey === searchKey);
    if (!row) return { notice, message: 'That tag is not on this card.', changed: false };
    if (row.settled !== undefined) return { notice, message: `Nothing changed: this tag was already decided. ${row.settled}`, changed: false };
    const who = cleanName(actor.name) || 'someone';
    const settled = `${row.deviceName} (${row.huntKey}): ${who} chose to let it expire ${formatUtc(row.expiresAtUtc)}.`;
    const claim = await this.notices.settle(notice.noticeId, searchKey, settled);
    if (!claim.settledNow) return { notice: claim.notice, message: `Nothing changed: someone decided this tag just before you. ${rowOf(claim.notice, searchKey)}`, changed: false };
    // The tag itself is not changed (it expires on its own); the choice goes into the audit trail.
    const entry = { ...this.entry(actor, searchKey, `let expire: expiry ${row.expiresAtUtc} kept`), outcome: 'no change (let expire)' };
    await this.store.audit(entry).catch((error: unknown) => this.logger.error({ event: 'tag-audit-failed', searchKey, err: error }, 'could not record the let-expire choice'));
    this.logger.info({ event: 'tag-audit', ...entry }, `let expire ${searchKey}`);
    return { notice: claim.notice, message: `Noted: ${settled} The tag is unchanged and stops hiding the device when it expires.`, changed: true };
  }

  /** A refused press, for the tag audit trail (named by what the card data claims: nothing was read for it). */
  async recordRefusal(actor: Requester, searchKey: string, reason: string): Promise<void> {
    // Card data goes into the audit only if it has a search key's shape (`<hunt key>|<device id>`, no spaces or controls).
    const subject = /^[\x21-\x7e]{1,200}\|[\x21-\x7e]{1,200}$/.test(searchKey) ? searchKey : '?';
    await this.store.audit({ ...this.entry(actor, subject, `expiry card: ${reason}`), action: 'denied' });
  }

  private async settleOnly(notice: ExpiryNotice, searchKey: string, settled: string, message: string): Promise<ExpiryChoiceOutcome> {
    const claim = await this.notices.settle(notice.noticeId, searchKey, settled);
    return { notice: claim.notice, message, changed: claim.settledNow };
  }

  /** Audit entries use the tag audit's shape; the action stays 'tag' (a tag's expiry is part of the tag) and the detail says which choice. */
  private entry(actor: Requester, searchKey: string, detail: string): AuditEntry {
    return auditEntryBy(actor, 'tag', searchKey, detail, this.now());
  }
}

function rowOf(notice: ExpiryNotice, searchKey: string): string {
  return notice.rows.find((r) => r.searchKey === searchKey)?.settled ?? '';
}
