import { gzipSync } from 'node:zlib';
import { decodeSentinelLogsQuery, MAX_LINK_LENGTH, sentinelLogsLink } from '../../src/links/portal-links';
import { fiveKilobyteKql, incompressibleKql, QUOTED_UNICODE_KQL } from './sample-queries';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const WORKSPACE =
  '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-hunt';
const ENCODED_WORKSPACE =
  '%2Fsubscriptions%2F00000000-1111-2222-3333-444444444444%2FresourceGroups%2Frg-sentinel%2Fproviders%2FMicrosoft.OperationalInsights%2Fworkspaces%2Flaw-hunt';
const WEEK = { start: new Date('2024-05-01T00:00:00.000Z'), end: new Date('2024-05-08T00:00:00.000Z') };

function qSegment(link: string): string {
  const match = /\/q\/([^/]+)/.exec(link);
  if (!match) throw new Error(`no /q/ segment in ${link}`);
  return match[1];
}

describe('sentinelLogsLink', () => {
  test('opens the workspace in the Logs blade with the share-link source, the query and the window', () => {
    const link = sentinelLogsLink('SecurityEvent | take 10', WORKSPACE, { tenantId: TENANT, window: WEEK }) as string;

    expect(link.startsWith(
      `https://portal.azure.com/#@${TENANT}/blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/${ENCODED_WORKSPACE}` +
        '/source/LogsBlade.AnalyticsShareLinkToQuery/q/',
    )).toBe(true);
    expect(link.endsWith('/timespan/2024-05-01T00%3A00%3A00.000Z%2F2024-05-08T00%3A00%3A00.000Z')).toBe(true);
  });

  test.each([
    ['a one-line query', 'SecurityEvent | take 10'],
    ['quotes, newlines, tabs, backslashes, URL metacharacters and unicode', QUOTED_UNICODE_KQL],
    ['a 5 KB hunt', fiveKilobyteKql()],
  ])('decodes back to exactly the KQL for %s', (_name, kql) => {
    const link = sentinelLogsLink(kql, WORKSPACE, { tenantId: TENANT, window: WEEK });

    expect(link).toBeDefined();
    expect(decodeSentinelLogsQuery(link as string)).toBe(kql);
  });

  test('carries the query as gzip base64 encoded twice, as the portal writes its share links', () => {
    const segment = qSegment(sentinelLogsLink(QUOTED_UNICODE_KQL, WORKSPACE) as string);

    expect(segment).toMatch(/^H4sI/); // the gzip magic number in base64
    expect(segment).toMatch(/^[A-Za-z0-9%.\-_]+$/);
    const once = decodeURIComponent(segment);
    expect(decodeURIComponent(once)).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  test('starts the fragment with #blade/ when no tenant is given', () => {
    expect(sentinelLogsLink('SecurityEvent', WORKSPACE)).toMatch(/^https:\/\/portal\.azure\.com\/#blade\/Microsoft_Azure_Monitoring_Logs\/LogsBlade\//);
  });

  test('leaves the time span to the portal when no window is given', () => {
    expect(sentinelLogsLink('SecurityEvent', WORKSPACE)).not.toContain('/timespan/');
  });

  test.each([
    ['AzurePublicCloud', 'https://portal.azure.com/'],
    ['AzureUSGovernment', 'https://portal.azure.us/'],
    ['AzureChinaCloud', 'https://portal.azure.cn/'],
  ] as const)('uses the %s Azure portal host', (cloud, host) => {
    expect(sentinelLogsLink('SecurityEvent', WORKSPACE, { cloud })?.startsWith(host)).toBe(true);
  });

  test('accepts the lower-case resource id spelling the portal itself writes', () => {
    const lower = WORKSPACE.replace('resourceGroups', 'resourcegroups').replace('Microsoft.OperationalInsights', 'microsoft.operationalinsights');

    expect(sentinelLogsLink('SecurityEvent', lower)).toContain(encodeURIComponent(lower));
  });

  test.each([
    ['a virtual machine', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1'],
    ['a workspace GUID', '4b2d2f7e-0000-4000-8000-000000000000'],
    ['a workspace id with a trailing path', `${WORKSPACE}/tables/SecurityEvent`],
    ['an empty string', ''],
  ])('gives no link for the resource id of %s', (_name, resourceId) => {
    expect(sentinelLogsLink('SecurityEvent', resourceId)).toBeUndefined();
  });

  test('gives no link for a blank query', () => {
    expect(sentinelLogsLink('   ', WORKSPACE)).toBeUndefined();
  });

  test('gives no link when the window ends before it starts', () => {
    expect(sentinelLogsLink('SecurityEvent', WORKSPACE, { window: { start: WEEK.end, end: WEEK.start } })).toBeUndefined();
  });

  test('gives no link when the query would make the URL longer than a card button allows', () => {
    expect(sentinelLogsLink(incompressibleKql(20_000), WORKSPACE, { tenantId: TENANT, window: WEEK })).toBeUndefined();
  });

  test('keeps every link it returns within the card limit', () => {
    const link = sentinelLogsLink(fiveKilobyteKql(), WORKSPACE, { tenantId: TENANT, window: WEEK }) as string;

    expect(link.length).toBeLessThanOrEqual(MAX_LINK_LENGTH);
  });
});

describe('decodeSentinelLogsQuery', () => {
  test('also reads a query segment encoded only once, as hand-built share links carry it', () => {
    const once = encodeURIComponent(gzipSync(Buffer.from("Heartbeat | where Computer == 'DWSNET OÜ'", 'utf8')).toString('base64'));
    const link = `https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/${ENCODED_WORKSPACE}/source/LogsBlade.AnalyticsShareLinkToQuery/q/${once}/timespan/P1D`;

    expect(decodeSentinelLogsQuery(link)).toBe("Heartbeat | where Computer == 'DWSNET OÜ'");
  });

  test.each([
    ['a link without a /q/ segment', `https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/${ENCODED_WORKSPACE}`],
    ['a /q/ segment that is not gzip', 'https://portal.azure.com/#blade/x/q/aGVsbG8%253D'],
    ['a /q/ segment with broken percent-encoding', 'https://portal.azure.com/#blade/x/q/%E0%A4%A'],
  ])('gives undefined for %s', (_name, link) => {
    expect(decodeSentinelLogsQuery(link)).toBeUndefined();
  });
});
