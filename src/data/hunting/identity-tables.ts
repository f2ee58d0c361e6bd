import type { SampleDevice } from '../fleet';
import { phishClicks } from './mail-tables';
import { type HuntingPlan, type TableGenerator, endpoints, guidOf, randomTime, recentTime, row, timeColumns } from './context';

/**
 * Identity and cloud-app context tables (Defender for Identity and for Cloud Apps): domain logons
 * at the domain controllers, LDAP/SAMR queries, directory changes, and Microsoft 365 activity.
 * Ordinary activity, plus a password spray against a few accounts and one burst of reconnaissance.
 */

const DCS = [
  { name: 'dc01.contoso.local', ip: '10.0.0.10' },
  { name: 'dc02.contoso.local', ip: '10.0.0.11' },
];
const SPRAY_IP = '185.220.101.47';

function account(d: SampleDevice): Record<string, string> {
  const u = d.user;
  return { AccountName: u.accountName, AccountDomain: 'contoso.local', AccountUpn: u.upn, AccountSid: u.sid, AccountObjectId: u.objectId, AccountDisplayName: displayName(u.accountName) };
}

function displayName(accountName: string): string {
  return accountName.replace(/^adm-/, '').split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join(' ');
}

export const identityLogonEvents: TableGenerator = function* (plan, prng) {
  const count = plan.devices.length * 8;
  for (let i = 0; i < count; i++) {
    const d = prng.pick(plan.devices);
    const dc = prng.pick(DCS);
    const failed = prng.chance(0.04);
    yield row('IdentityLogonEvents', timeColumns(randomTime(plan, prng)), account(d), { ActionType: failed ? 'LogonFailed' : 'LogonSuccess', Application: 'Active Directory',
      LogonType: prng.pick(['Resource access', 'Credentials validation', 'Interactive']), Protocol: prng.chance(0.85) ? 'Kerberos' : 'Ntlm',
      FailureReason: failed ? 'WrongPassword' : '', DeviceName: d.deviceName, DeviceType: d.type === 'Server' ? 'Server' : 'Workstation', OSPlatform: d.osPlatform,
      IPAddress: d.localIp, Port: prng.int(49_152, 65_535), DestinationDeviceName: dc.name, DestinationIPAddress: dc.ip, DestinationPort: 88,
      TargetDeviceName: dc.name, ReportId: guidOf(`idlogon/${i}`), AdditionalFields: { Spns: `krbtgt/CONTOSO.LOCAL` },
    });
  }
  // A password spray from one outside address against a handful of accounts, within the last two days.
  const sprayAt = recentTime(plan, prng);
  for (const [i, d] of prng.sample(plan.devices, Math.min(12, plan.devices.length)).entries()) {
    yield row('IdentityLogonEvents', timeColumns(sprayAt + i * 7_000), account(d), { ActionType: 'LogonFailed', Application: 'Microsoft Office 365', LogonType: 'Login', Protocol: '',
      FailureReason: 'InvalidUserNameOrPassword', DeviceType: 'Other', OSPlatform: 'Linux', IPAddress: SPRAY_IP, Location: 'NL', Isp: 'Tor exit node',
      ReportId: guidOf(`spray/${i}`), AdditionalFields: { UserAgent: 'python-requests/2.31.0' },
    });
  }
};

export const identityQueryEvents: TableGenerator = function* (plan, prng) {
  const count = plan.devices.length * 2;
  const emit = (d: SampleDevice, ms: number, type: string, target: string, query: string, i: string) =>
    row('IdentityQueryEvents', timeColumns(ms), account(d), { ActionType: type === 'Dns' ? 'DNS query' : `${type} query`, Application: 'Active Directory', QueryType: type === 'Dns' ? 'Dns' : type,
      QueryTarget: target, Query: query, Protocol: type === 'Dns' ? 'Dns' : type === 'Samr' ? 'Samr' : 'Ldap', DeviceName: d.deviceName, IPAddress: d.localIp, Port: 50_000,
      DestinationDeviceName: DCS[0].name, DestinationIPAddress: DCS[0].ip, DestinationPort: type === 'Dns' ? 53 : 389, TargetDeviceName: DCS[0].name, ReportId: guidOf(`query/${i}`),
    });
  for (let i = 0; i < count; i++) {
    const d = prng.pick(plan.devices);
    yield emit(d, randomTime(plan, prng), 'Dns', 'dc01.contoso.local', 'dc01.contoso.local', `${i}`);
  }
  // Reconnaissance from one workstation: group enumeration over SAMR within a minute.
  const d = prng.pick(endpoints(plan));
  const at = recentTime(plan, prng);
  for (const [i, group] of ['Domain Admins', 'Enterprise Admins', 'Administrators'].entries()) {
    yield emit(d, at + i * 20_000, 'Samr', group, `QueryGroup CN=${group},CN=Users,DC=contoso,DC=local`, `recon/${i}`);
  }
};

const DIRECTORY_CHANGES = ['Account Password changed', 'Group Membership changed', 'Account Enabled changed', 'User Account Control changed'];

export const identityDirectoryEvents: TableGenerator = function* (plan, prng) {
  const count = Math.max(4, plan.devices.length);
  for (let i = 0; i < count; i++) {
    const actor = prng.pick(plan.devices);
    const target = prng.pick(plan.devices);
    const action = prng.pick(DIRECTORY_CHANGES);
    yield row('IdentityDirectoryEvents', timeColumns(randomTime(plan, prng)), account(actor), { ActionType: action, Application: 'Active Directory', Protocol: action === 'Account Password changed' ? 'Kerberos' : 'Ldap',
      TargetAccountUpn: target.user.upn, TargetAccountDisplayName: displayName(target.user.accountName), TargetDeviceName: '', DestinationDeviceName: DCS[0].name,
      DestinationIPAddress: DCS[0].ip, DestinationPort: 389, DeviceName: actor.deviceName, IPAddress: actor.localIp, Port: 50_000, ReportId: guidOf(`dir/${i}`),
      AdditionalFields: action === 'Group Membership changed' ? { 'TO.GROUP': prng.pick(['VPN Users', 'Finance Readers', 'Domain Admins']), 'FROM.GROUP': '' } : {},
    });
  }
};

const CLOUD_ACTIVITY: ReadonlyArray<{ app: string; id: number; action: string; object: string; weight: number }> = [
  { app: 'Microsoft Exchange Online', id: 20893, action: 'MailItemsAccessed', object: 'Inbox', weight: 6 },
  { app: 'Microsoft SharePoint Online', id: 20892, action: 'FileAccessed', object: 'Quarterly report.xlsx', weight: 5 },
  { app: 'Microsoft OneDrive for Business', id: 15600, action: 'FileDownloaded', object: 'notes.docx', weight: 3 },
  { app: 'Microsoft Teams', id: 28375, action: 'MessageSent', object: 'General', weight: 4 },
  { app: 'Microsoft Exchange Online', id: 20893, action: 'New-InboxRule', object: 'Inbox rule', weight: 0 },
];

function cloudEvent(plan: HuntingPlan, d: SampleDevice, ms: number, activity: (typeof CLOUD_ACTIVITY)[number], ip: string, i: string) {
  const u = d.user;
  return row('CloudAppEvents', timeColumns(ms), { ActionType: activity.action, Application: activity.app, ApplicationId: activity.id, AppInstanceId: 0, AccountObjectId: u.objectId, AccountId: u.objectId,
    AccountDisplayName: displayName(u.accountName), IsAdminOperation: activity.action === 'New-InboxRule', DeviceType: 'Desktop', OSPlatform: d.osPlatform, IPAddress: ip,
    IsAnonymousProxy: false, CountryCode: ip === d.publicIp ? 'US' : 'NL', City: ip === d.publicIp ? 'Seattle' : 'Amsterdam', Isp: ip === d.publicIp ? 'Contoso ISP' : 'Hosting provider',
    UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    ActivityType: activity.action.startsWith('File') ? 'Download' : activity.action === 'New-InboxRule' ? 'Create' : 'Access', ObjectName: activity.object, ObjectType: 'File', ObjectId: guidOf(`obj/${activity.object}`),
    ActivityObjects: [{ Type: 'User', Name: displayName(u.accountName), Id: u.objectId }], RawEventData: { Operation: activity.action, UserId: u.upn, ClientIP: ip, Workload: activity.app.replace('Microsoft ', '') },
    AccountType: 'Regular', IsExternalUser: false, IsImpersonated: false, ReportId: guidOf(`cloud/${plan.seed}/${i}`), AuditSource: 'Defender for Cloud Apps app connector',
  });
}

export const cloudAppEvents: TableGenerator = function* (plan, prng) {
  const people = endpoints(plan);
  const common = CLOUD_ACTIVITY.filter((a) => a.weight > 0);
  const count = people.length * 8;
  for (let i = 0; i < count; i++) {
    const d = prng.pick(people);
    yield cloudEvent(plan, d, randomTime(plan, prng), prng.weighted(common, common.map((a) => a.weight)), d.publicIp, `${i}`);
  }
  // After the phishing click: an inbox rule that hides replies, from a foreign address.
  for (const click of phishClicks(plan)) {
    const victim = people.find((d) => d.user.upn === click.upn);
    if (victim) yield cloudEvent(plan, victim, click.ms + 20 * 60_000, CLOUD_ACTIVITY[4], SPRAY_IP, 'rule');
  }
};
