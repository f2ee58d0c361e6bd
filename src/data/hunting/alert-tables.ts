import { Prng } from '../prng';
import type { Row } from '../table-rows';
import { type HuntingPlan, type TableGenerator, endpoints, guidOf, row, timeColumns } from './context';
import { avDetections } from './endpoint-tables';
import { PHISH_URL, phishClicks } from './mail-tables';

/**
 * AlertInfo and AlertEvidence: the alerts the planted activity would raise (the antivirus
 * detections in DeviceEvents, the phishing click in UrlClickEvents), with their evidence rows joined
 * by AlertId, plus a few low-severity informational alerts.
 */

interface Alert {
  id: string;
  ms: number;
  title: string;
  category: string;
  severity: string;
  service: string;
  detection: string;
  techniques: string;
  evidence: Row[];
}

function alerts(plan: HuntingPlan): Alert[] {
  const list: Alert[] = [];
  for (const detection of avDetections(plan)) {
    const d = detection.device;
    const id = `da${guidOf(`alert/av/${d.deviceId}`).replace(/-/g, '').slice(0, 16)}`;
    list.push({
      id, ms: detection.ms + 30_000, title: "'Nemucod' malware was prevented", category: 'Malware', severity: 'Medium', service: 'Microsoft Defender for Endpoint', detection: 'Antivirus', techniques: '["T1204.002"]',
      evidence: [
        { EntityType: 'Machine', EvidenceRole: 'Impacted', DeviceId: d.deviceId, DeviceName: d.deviceName },
        { EntityType: 'File', EvidenceRole: 'Related', FileName: detection.fileName, FolderPath: detection.folderPath, SHA1: detection.sha1, ThreatFamily: 'Nemucod', DeviceId: d.deviceId, DeviceName: d.deviceName },
        { EntityType: 'User', EvidenceRole: 'Impacted', AccountName: d.user.accountName, AccountDomain: 'contoso', AccountSid: d.user.sid, AccountObjectId: d.user.objectId, AccountUpn: d.user.upn },
      ],
    });
  }
  for (const click of phishClicks(plan)) {
    const id = `fa${guidOf(`alert/click/${click.messageId}`).replace(/-/g, '').slice(0, 16)}`;
    list.push({
      id, ms: click.ms + 60_000, title: 'A potentially malicious URL click was detected', category: 'InitialAccess', severity: 'High', service: 'Microsoft Defender for Office 365', detection: 'Microsoft Defender for Office 365', techniques: '["T1566.002"]',
      evidence: [
        { EntityType: 'Url', EvidenceRole: 'Related', RemoteUrl: PHISH_URL },
        { EntityType: 'MailMessage', EvidenceRole: 'Related', NetworkMessageId: click.messageId, EmailSubject: 'Action required: verify your account' },
        { EntityType: 'User', EvidenceRole: 'Impacted', AccountUpn: click.upn },
      ],
    });
  }
  const prng = Prng.for(plan.seed, 'hunting/alerts');
  for (let i = 0; i < Math.max(2, Math.round(plan.devices.length / 30)); i++) {
    const d = prng.pick(endpoints(plan));
    list.push({
      id: `da${guidOf(`alert/info/${i}`).replace(/-/g, '').slice(0, 16)}`, ms: plan.nowMs - prng.int(1, 29) * 86_400_000, title: 'Unwanted software was detected', category: 'UnwantedSoftware',
      severity: 'Informational', service: 'Microsoft Defender for Endpoint', detection: 'Antivirus', techniques: '[]',
      evidence: [{ EntityType: 'Machine', EvidenceRole: 'Impacted', DeviceId: d.deviceId, DeviceName: d.deviceName }],
    });
  }
  return list;
}

export const alertInfo: TableGenerator = function* (plan) {
  for (const a of alerts(plan)) {
    yield row('AlertInfo', timeColumns(a.ms), { AlertId: a.id, Title: a.title, Category: a.category, Severity: a.severity, ServiceSource: a.service, DetectionSource: a.detection, AttackTechniques: a.techniques });
  }
};

export const alertEvidence: TableGenerator = function* (plan) {
  for (const a of alerts(plan)) {
    for (const evidence of a.evidence) {
      yield row('AlertEvidence', timeColumns(a.ms), { AlertId: a.id, Title: a.title, Categories: `["${a.category}"]`, AttackTechniques: a.techniques, ServiceSource: a.service, DetectionSource: a.detection, Severity: a.severity, ...evidence,
      });
    }
  }
};
