import { deviceLink } from '../../src/links/portal-links';

const DEVICE_ID = 'c6a833d8a0da6ad439076368d1681e7930c49fef';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('deviceLink', () => {
  test('opens the device overview page in the public Defender portal', () => {
    expect(deviceLink(DEVICE_ID)).toBe(`https://security.microsoft.com/machines/v2/${DEVICE_ID}/overview`);
  });

  test('names the tenant with tid= when one is given', () => {
    expect(deviceLink(DEVICE_ID, { tenantId: TENANT })).toBe(`https://security.microsoft.com/machines/v2/${DEVICE_ID}/overview?tid=${TENANT}`);
  });

  test('uses the GCC High Defender portal for the US Government cloud', () => {
    expect(deviceLink(DEVICE_ID, { cloud: 'AzureUSGovernment' })).toBe(`https://security.microsoft.us/machines/v2/${DEVICE_ID}/overview`);
  });

  test('gives no link for the China cloud, which has no documented Defender portal', () => {
    expect(deviceLink(DEVICE_ID, { cloud: 'AzureChinaCloud' })).toBeUndefined();
  });

  test('ignores the window, which a device page has no use for', () => {
    const window = { start: new Date('2024-05-01T00:00:00Z'), end: new Date('2024-05-08T00:00:00Z') };

    expect(deviceLink(DEVICE_ID, { window })).toBe(`https://security.microsoft.com/machines/v2/${DEVICE_ID}/overview`);
  });

  test.each([
    ['slashes and dot segments', 'abc/../def', 'abc%2F..%2Fdef'],
    ['query and fragment characters', 'id?x=1#top', 'id%3Fx%3D1%23top'],
    ['spaces, percent signs and ampersands', 'a b%c&d', 'a%20b%25c%26d'],
    ['unicode', 'gerät-ü', 'ger%C3%A4t-%C3%BC'],
  ])('escapes an id with %s so it stays one path segment', (_name, id, escaped) => {
    const link = deviceLink(id, { tenantId: TENANT }) as string;

    expect(link).toBe(`https://security.microsoft.com/machines/v2/${escaped}/overview?tid=${TENANT}`);
    const url = new URL(link);
    expect(url.pathname).toBe(`/machines/v2/${escaped}/overview`);
    expect(decodeURIComponent(url.pathname.split('/')[3])).toBe(id);
  });

  test('trims surrounding whitespace from the id', () => {
    expect(deviceLink(`  ${DEVICE_ID}\n`)).toBe(`https://security.microsoft.com/machines/v2/${DEVICE_ID}/overview`);
  });

  test.each([
    ['an empty id', ''],
    ['a blank id', '   '],
    ['a "." id, which URL parsers drop', '.'],
    ['a ".." id, which URL parsers resolve to the parent', '..'],
    ['an id already encoded as a dot segment', '%2e%2E'],
    ['an id with a lone surrogate, which has no UTF-8 form', 'dev\uD800ice'],
  ])('gives no link for %s', (_name, id) => {
    expect(deviceLink(id)).toBeUndefined();
  });
});
