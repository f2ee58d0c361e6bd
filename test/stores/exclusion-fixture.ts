import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { searchKeyOf, type AuditEntry, type Exclusion } from '../../src/stores/exclusion-store';

/** A valid tag; override what the test is about. */
export function exclusion(overrides: Partial<Exclusion> & { huntKey?: string; deviceId?: string } = {}): Exclusion {
  const huntKey = overrides.huntKey ?? 'rmm/desktopnow';
  const deviceId = overrides.deviceId ?? 'dev-0001';
  return {
    searchKey: searchKeyOf(huntKey, deviceId),
    huntKey,
    deviceId,
    deviceName: 'pc-0001.contoso.com',
    scenario: 'it-admin-tool',
    justification: 'Helpdesk uses DesktopNow on this jump box',
    taggedByUpn: 'alice@contoso.com',
    taggedByAadObjectId: 'a11ce000-0000-0000-0000-000000000001',
    taggedByName: 'Alice',
    taggedAtUtc: '2024-05-01T10:00:00.000Z',
    expiresAtUtc: '',
    ...overrides,
  };
}

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    action: 'tag',
    searchKey: searchKeyOf('rmm/desktopnow', 'dev-0001'),
    actorAadObjectId: 'a11ce000-0000-0000-0000-000000000001',
    actorName: 'Alice',
    actorUpn: 'alice@contoso.com',
    conversationId: '19:abc@thread.tacv2',
    atUtc: '2024-05-01T10:00:00.000Z',
    detail: 'scenario it-admin-tool',
    ...overrides,
  };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function temporaryFolder(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-store-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
