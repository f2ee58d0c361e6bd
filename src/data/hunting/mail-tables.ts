import type { SampleDevice } from '../fleet';
import { Prng, digestHex } from '../prng';
import type { Row } from '../table-rows';
import { type HuntingPlan, type TableGenerator, endpoints, guidOf, randomTime, recentTime, row, timeColumns } from './context';

/**
 * Mail context tables (Defender for Office 365): messages, their attachments and links, and Safe
 * Links clicks, joined by NetworkMessageId as in the service. Mostly ordinary mail, a little spam,
 * and one phishing campaign that reached inboxes, with a click through on one of them.
 */

interface Message {
  id: string;
  ms: number;
  sender: { address: string; name: string; domain: string; ip: string };
  recipient: SampleDevice['user'];
  subject: string;
  direction: 'Inbound' | 'Outbound' | 'Intra-org';
  threat: '' | 'Spam' | 'Phish';
  delivery: { action: string; location: string };
  attachments: Array<{ name: string; type: string; size: number }>;
  urls: string[];
  clickedThrough: boolean;
}

const PARTNERS = [
  { name: 'Fabrikam Billing', address: 'billing@fabrikam.com', domain: 'fabrikam.com', ip: '40.107.22.54' },
  { name: 'Northwind Traders', address: 'orders@northwindtraders.com', domain: 'northwindtraders.com', ip: '40.107.8.91' },
  { name: 'Adatum Newsletter', address: 'news@adatum.com', domain: 'adatum.com', ip: '198.51.100.23' },
  { name: 'Tailspin Toys HR', address: 'hr@tailspintoys.com', domain: 'tailspintoys.com', ip: '52.100.7.12' },
];
const SUBJECTS = ['Invoice for November', 'Meeting notes', 'Re: project timeline', 'Quarterly report', 'Your order has shipped', 'Team lunch on Friday', 'Updated contract draft'];
const PHISH = { name: 'Microsoft 365 Security', address: 'no-reply@micros0ft-security.com', domain: 'micros0ft-security.com', ip: '185.220.101.47' };
export const PHISH_URL = 'https://micros0ft-security.com/account/verify?session=7f3a9c';

const messagesByPlan = new WeakMap<HuntingPlan, Message[]>();

/** Every message of the plan, the same for each mail table (one stream, computed once per plan). */
function messages(plan: HuntingPlan): Message[] {
  let list = messagesByPlan.get(plan);
  if (!list) messagesByPlan.set(plan, (list = buildMessages(plan)));
  return list;
}

function buildMessages(plan: HuntingPlan): Message[] {
  const prng = Prng.for(plan.seed, 'hunting/mail');
  const people = endpoints(plan);
  const list: Message[] = [];
  const count = people.length * 12;
  for (let i = 0; i < count; i++) {
    const recipient = prng.pick(people).user;
    const internal = prng.chance(0.35);
    const colleague = prng.pick(people).user;
    const partner = prng.pick(PARTNERS);
    const spam = !internal && prng.chance(0.06);
    const sender = internal
      ? { address: colleague.upn, name: colleague.accountName.replace('.', ' '), domain: 'contoso.com', ip: '' }
      : { address: partner.address, name: partner.name, domain: partner.domain, ip: partner.ip };
    const ms = randomTime(plan, prng);
    list.push({
      id: guidOf(`mail/${plan.seed}/${i}`),
      ms,
      sender,
      recipient,
      subject: spam ? 'You have won a gift card' : prng.pick(SUBJECTS),
      direction: internal ? 'Intra-org' : 'Inbound',
      threat: spam ? 'Spam' : '',
      delivery: spam ? { action: 'Junked', location: 'Junk folder' } : { action: 'Delivered', location: 'Inbox/folder' },
      attachments: prng.chance(0.2) ? [{ name: prng.pick(['report.pdf', 'notes.docx', 'figures.xlsx']), type: 'pdf', size: prng.int(20_000, 4_000_000) }] : [],
      urls: prng.chance(0.4) ? [`https://${internal ? 'contoso.sharepoint.com/sites/team' : `www.${sender.domain}/portal`}`] : [],
      clickedThrough: false,
    });
  }
  // The campaign: one sender, one link, a few recipients; one blocked, the rest delivered, one clicked through.
  const targets = prng.sample(people, Math.min(4, people.length));
  targets.forEach((target, i) => {
    list.push({
      id: guidOf(`phish/${plan.seed}/${i}`),
      ms: recentTime(plan, prng),
      sender: PHISH,
      recipient: target.user,
      subject: 'Action required: verify your account',
      direction: 'Inbound',
      threat: 'Phish',
      delivery: i === 0 ? { action: 'Blocked', location: 'Quarantine' } : { action: 'Delivered', location: 'Inbox/folder' },
      attachments: [{ name: 'Verify_Account.html', type: 'html', size: 3_214 }],
      urls: [PHISH_URL],
      clickedThrough: i === 1,
    });
  });
  return list.sort((a, b) => a.ms - b.ms);
}

/** The phishing messages' recipients that clicked through: alerts name them. */
export function phishClicks(plan: HuntingPlan): Array<{ upn: string; ms: number; messageId: string }> {
  return messages(plan).filter((m) => m.clickedThrough).map((m) => ({ upn: m.recipient.upn, ms: m.ms + 4 * 60_000, messageId: m.id }));
}

const clusters = new Map<string, number>();

/** Similar mails share a cluster: one id per subject. */
function clusterOf(subject: string): number {
  let id = clusters.get(subject);
  if (id === undefined) clusters.set(subject, (id = parseInt(digestHex('md5', subject).slice(0, 10), 16)));
  return id;
}

export const emailEvents: TableGenerator = function* (plan) {
  for (const m of messages(plan)) {
    yield row('EmailEvents', timeColumns(m.ms), { NetworkMessageId: m.id, InternetMessageId: `<${m.id.replace(/-/g, '').slice(0, 20)}@${m.sender.domain}>`,
      SenderMailFromAddress: m.sender.address, SenderFromAddress: m.sender.address, SenderDisplayName: m.sender.name, SenderMailFromDomain: m.sender.domain, SenderFromDomain: m.sender.domain,
      SenderIPv4: m.sender.ip, RecipientEmailAddress: m.recipient.upn, RecipientObjectId: m.recipient.objectId, Subject: m.subject,
      EmailClusterId: clusterOf(m.subject), EmailDirection: m.direction, DeliveryAction: m.delivery.action, DeliveryLocation: m.delivery.location,
      LatestDeliveryAction: m.delivery.action, LatestDeliveryLocation: m.delivery.location,
      ThreatTypes: m.threat, DetectionMethods: m.threat === 'Phish' ? '{"Phish":["URL detonation reputation"]}' : m.threat === 'Spam' ? '{"Spam":["Mixed analysis detection"]}' : '',
      ConfidenceLevel: m.threat === 'Phish' ? '{"Phish":"High"}' : m.threat === 'Spam' ? '{"Spam":"High"}' : '{"Spam":"Low"}',
      BulkComplaintLevel: m.sender.domain === 'adatum.com' ? 6 : 0, AttachmentCount: m.attachments.length, UrlCount: m.urls.length, EmailLanguage: 'en',
      AuthenticationDetails: m.threat === 'Phish' ? '{"SPF":"fail","DKIM":"none","DMARC":"fail","CompAuth":"fail"}' : '{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}',
      EmailAction: m.threat === 'Spam' ? 'Move message to junk mail folder' : m.delivery.action === 'Blocked' ? 'Send to quarantine' : 'No action taken',
      ReportId: `${m.id}-1`,
    });
  }
};

export const emailAttachmentInfo: TableGenerator = function* (plan) {
  for (const m of messages(plan)) {
    for (const a of m.attachments) {
      yield row('EmailAttachmentInfo', timeColumns(m.ms), { NetworkMessageId: m.id, SenderFromAddress: m.sender.address, SenderDisplayName: m.sender.name, RecipientEmailAddress: m.recipient.upn, RecipientObjectId: m.recipient.objectId,
        FileName: a.name, FileType: a.type, SHA256: digestHex('sha256', `${m.threat === 'Phish' ? 'phish' : m.id}/${a.name}`), FileSize: a.size,
        ThreatTypes: m.threat === 'Phish' ? 'Phish' : '', ThreatNames: m.threat === 'Phish' ? 'HTML/Phish.Credential' : '', DetectionMethods: m.threat === 'Phish' ? 'File detonation' : '',
        ReportId: `${m.id}-a`,
      });
    }
  }
};

export const emailUrlInfo: TableGenerator = function* (plan) {
  for (const m of messages(plan)) {
    for (const url of m.urls) {
      yield row('EmailUrlInfo', timeColumns(m.ms), { NetworkMessageId: m.id, Url: url, UrlDomain: new URL(url).hostname, UrlLocation: 'Body', ReportId: `${m.id}-u` });
    }
  }
};

export const urlClickEvents: TableGenerator = function* (plan) {
  const prng = Prng.for(plan.seed, 'hunting/clicks');
  for (const m of messages(plan)) {
    if (m.urls.length === 0 || m.delivery.action !== 'Delivered') continue;
    if (m.threat !== 'Phish' && !prng.chance(0.3)) continue;
    const phish = m.threat === 'Phish';
    yield row('UrlClickEvents', {
      ...timeColumns(m.ms + prng.int(60_000, 3_600_000)), Url: m.urls[0], AccountUpn: m.recipient.upn, Workload: 'Email', NetworkMessageId: m.id,
      ActionType: phish ? (m.clickedThrough ? 'ClickAllowed' : 'ClickBlocked') : 'ClickAllowed', IsClickedThrough: phish ? m.clickedThrough : true,
      ThreatTypes: phish ? 'Phish' : '', DetectionMethods: phish ? 'URL detonation reputation' : '', IPAddress: `203.0.113.${prng.int(1, 254)}`,
      UrlChain: phish ? `["${m.urls[0]}"]` : '', ReportId: guidOf(`click/${m.id}`),
    } satisfies Row);
  }
};
