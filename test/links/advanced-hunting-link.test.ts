import { gunzipSync } from 'node:zlib';
import { advancedHuntingLink, decodeAdvancedHuntingQuery, MAX_LINK_LENGTH } from '../../src/links/portal-links';
import { fiveKilobyteKql, incompressibleKql, QUOTED_UNICODE_KQL } from './sample-queries';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const DAY = 86_400_000;
const END = new Date('2024-05-08T00:00:00.000Z');
const windowOf = (ms: number) => ({ start: new Date(END.getTime() - ms), end: END });

function queryValue(link: string): string {
  const value = new URL(link).searchParams.get('query');
  if (value === null) throw new Error(`no query= in ${link}`);
  return value;
}

describe('advancedHuntingLink', () => {
  test('opens advanced hunting in the public Defender portal with the query filled in', () => {
    const link = advancedHuntingLink('DeviceInfo | take 10');

    expect(link).toMatch(/^https:\/\/security\.microsoft\.com\/v2\/advanced-hunting\?query=[A-Za-z0-9_-]+$/);
  });

  test.each([
    ['a one-line query', 'DeviceInfo | take 10'],
    ['quotes, newlines, tabs, backslashes, URL metacharacters and unicode', QUOTED_UNICODE_KQL],
    ['a 5 KB hunt', fiveKilobyteKql()],
  ])('decodes back to exactly the KQL for %s', (_name, kql) => {
    const link = advancedHuntingLink(kql, { tenantId: TENANT, window: windowOf(7 * DAY) });

    expect(link).toBeDefined();
    expect(decodeAdvancedHuntingQuery(link as string)).toBe(kql);
  });

  test('carries the query as gzip of UTF-16LE text in unpadded base64url, as portal share links do', () => {
    const value = queryValue(advancedHuntingLink("DeviceInfo | where DeviceName == 'pc-01'") as string);

    expect(value).not.toMatch(/[+/=]/);
    const bytes = gunzipSync(Buffer.from(value, 'base64url'));
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x44, 0x00, 0x65, 0x00])); // "De" in UTF-16LE
    expect(bytes.toString('utf16le')).toBe("DeviceInfo | where DeviceName == 'pc-01'");
  });

  test('names the tenant with tid= so multi-tenant users land in the right one', () => {
    const link = advancedHuntingLink('DeviceInfo', { tenantId: ` ${TENANT} ` }) as string;

    expect(new URL(link).searchParams.get('tid')).toBe(TENANT);
  });

  test('leaves tid= out when no tenant is given', () => {
    expect(new URL(advancedHuntingLink('DeviceInfo', { tenantId: '  ' }) as string).searchParams.has('tid')).toBe(false);
  });

  test.each([
    ['an hour', 3_600_000, 'day'],
    ['exactly a day', DAY, 'day'],
    ['three days', 3 * DAY, 'week'],
    ['exactly a week', 7 * DAY, 'week'],
    ['thirty days', 30 * DAY, 'month'],
    ['ninety days', 90 * DAY, 'month'],
  ])('picks the narrowest time range preset covering a window of %s', (_name, ms, expected) => {
    const link = advancedHuntingLink('DeviceInfo', { window: windowOf(ms) }) as string;

    expect(new URL(link).searchParams.get('timeRangeId')).toBe(expected);
  });

  test('leaves the time range to the portal when no window is given', () => {
    expect(new URL(advancedHuntingLink('DeviceInfo') as string).searchParams.has('timeRangeId')).toBe(false);
  });

  test('uses the GCC High Defender portal for the US Government cloud', () => {
    expect(advancedHuntingLink('DeviceInfo', { cloud: 'AzureUSGovernment' })).toMatch(/^https:\/\/security\.microsoft\.us\/v2\/advanced-hunting\?/);
  });

  test('gives no link for the China cloud, which has no documented Defender portal', () => {
    expect(advancedHuntingLink('DeviceInfo', { cloud: 'AzureChinaCloud' })).toBeUndefined();
  });

  test('gives no link for a blank query', () => {
    expect(advancedHuntingLink(' \n\t')).toBeUndefined();
  });

  test.each([
    ['ends before it starts', { start: END, end: new Date(END.getTime() - DAY) }],
    ['is empty', { start: END, end: END }],
    ['has an invalid date', { start: new Date('not a date'), end: END }],
  ])('gives no link when the window %s', (_name, window) => {
    expect(advancedHuntingLink('DeviceInfo', { window })).toBeUndefined();
  });

  test('gives no link when the query would make the URL longer than a card button allows', () => {
    const kql = incompressibleKql(20_000);

    expect(advancedHuntingLink(kql)).toBeUndefined();
  });

  test('keeps every link it returns within the card limit', () => {
    const link = advancedHuntingLink(fiveKilobyteKql(), { tenantId: TENANT, window: windowOf(DAY) }) as string;

    expect(link.length).toBeLessThanOrEqual(MAX_LINK_LENGTH);
  });
});

describe('decodeAdvancedHuntingQuery', () => {
  test.each([
    ['text that is not a URL', 'not a link'],
    ['a link without query=', 'https://security.microsoft.com/v2/advanced-hunting?timeRangeId=day'],
    ['a query= that is not base64', 'https://security.microsoft.com/v2/advanced-hunting?query=%%%'],
    ['a query= that is base64 but not gzip', `https://security.microsoft.com/v2/advanced-hunting?query=${Buffer.from('hello').toString('base64url')}`],
  ])('gives undefined for %s', (_name, link) => {
    expect(decodeAdvancedHuntingQuery(link)).toBeUndefined();
  });
});
