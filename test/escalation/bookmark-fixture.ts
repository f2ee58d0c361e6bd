import type { HuntBookmark } from '../../src/domain/bookmark';
import type { DeviceHit } from '../../src/domain/hunt-run';
import type { Requester } from '../../src/domain/requester';
import { bookmarkOf } from '../../src/escalation/bookmark-content';
import type { AuditEntry } from '../../src/stores/exclusion-store';
import { finishedRun } from '../support/run-fixtures';

export const KQL = "DeviceFileCertificateInfo\n| where Timestamp between (datetime(2026-11-23T00:00:00Z) .. datetime(2026-11-28T00:00:00Z))\n| where Signer has 'NCH Software'";

export function hit(overrides: Partial<DeviceHit> = {}): DeviceHit {
  return {
    deviceId: 'dev-a',
    deviceName: 'fin-ws-001.contoso.local',
    firstSeen: '2026-11-25T10:00:00.000Z',
    lastSeen: '2026-11-27T10:00:00.000Z',
    count: 3,
    reports: [11, 12, 13],
    signals: [],
    evidence: [{ name: 'SHA256', values: ['ab'.repeat(32)] }],
    ...overrides,
  };
}

export const alice: Requester = { id: '29:alice', aadObjectId: 'a11ce000-0000-0000-0000-000000000001', name: 'Alice', tenantId: 't-1', conversationId: '19:chan@thread.tacv2' };

export function runWithHit(h: DeviceHit = hit()) {
  return finishedRun({
    runId: 'run-42',
    hits: [h],
    queries: [{ huntId: 'rmm-desktopnow-filesig', kind: 'filesig', kql: KQL, durationMs: 10, rowCount: 1 }],
    conversation: { id: alice.conversationId, tenantId: alice.tenantId },
  });
}

export function sampleBookmark(note = 'User denies installing it'): HuntBookmark {
  return bookmarkOf(runWithHit(), hit(), note, alice, new Date('2026-11-28T01:00:00.000Z'), () => ['T1219']);
}

export function bookmarkAudit(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    action: 'bookmark',
    searchKey: 'rmm/desktopnow|dev-a',
    actorAadObjectId: alice.aadObjectId,
    actorName: 'Alice',
    actorUpn: '',
    conversationId: alice.conversationId,
    atUtc: '2026-11-28T01:00:00.000Z',
    detail: 'bookmark',
    ...overrides,
  };
}
