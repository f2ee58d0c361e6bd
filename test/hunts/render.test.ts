import { KqlDatabase, KqlEngine, checkQuery, warmUpKql } from '../../src/kql';
import { renderHuntQuery } from '../../src/hunts/render';
import type { HuntDefinition } from '../../src/domain/hunt-definition';
import { DAY, NOW, catalogWithoutAnalysis, huntNamed, lastDays } from './hunt-fixtures';

const catalog = catalogWithoutAnalysis();
const desktopNow = huntNamed(catalog, 'desktopnow', 'filesig');

function cert(deviceId: string, signer: string, daysAgo: number, reportId: number): Record<string, unknown> {
  const at = new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  return { Timestamp: at, TimeGenerated: at, DeviceId: deviceId, DeviceName: `${deviceId}.contoso.local`, Signer: signer, ReportId: reportId };
}

const engine = new KqlEngine(
  KqlDatabase.fromRows({
    DeviceFileCertificateInfo: [
      cert('dev-recent', 'NCH Software Pty Ltd', 1, 1),
      cert('dev-old', 'NCH Software Pty Ltd', 10, 2),
      cert('dev-tagged', 'NCH Software Pty Ltd', 1, 3),
      cert('dev-expired-tag', 'NCH Software Pty Ltd', 1, 4),
    ],
  }),
);

function devicesHit(kql: string, watchlists: Record<string, Array<Record<string, unknown>>> = {}): string[] {
  const result = engine.query(kql, { now: NOW, watchlists });
  const index = result.columns.findIndex((c) => c.name === 'DeviceId');
  return result.rows.map((row) => String(row[index])).sort();
}

/** A copy of a hunt with another query and parameters, for placeholder cases. */
function withQuery(hunt: HuntDefinition, query: string, parameters = hunt.parameters): HuntDefinition {
  return { ...hunt, query, parameters };
}

beforeAll(async () => {
  await warmUpKql();
});

describe('renderHuntQuery', () => {
  test('puts the window in as datetime literals and leaves no placeholder behind', () => {
    const kql = renderHuntQuery(desktopNow, { window: lastDays(5) });
    expect(kql).toContain('let Time_start = datetime(2026-11-23T03:00:00.0000000Z);');
    expect(kql).toContain('let Time_end = datetime(2026-11-28T03:00:00.0000000Z);');
    expect(kql).not.toMatch(/\{\{|\}\}/);
  });

  test('the requested window decides which devices are found', () => {
    expect(devicesHit(renderHuntQuery(desktopNow, { window: lastDays(5) }))).toEqual(['dev-expired-tag', 'dev-recent', 'dev-tagged']);
    expect(devicesHit(renderHuntQuery(desktopNow, { window: lastDays(30) }))).toContain('dev-old');
  });

  test('rejects a window longer than the hunt allows, or one that ends before it starts', () => {
    expect(() => renderHuntQuery(desktopNow, { window: lastDays(31) })).toThrow(/at most 30 days/);
    expect(() => renderHuntQuery(desktopNow, { window: { start: NOW, end: new Date(NOW.getTime() - DAY) } })).toThrow(RangeError);
  });

  test('rejects a query with a placeholder that is not a declared parameter', () => {
    const broken = withQuery(desktopNow, `${desktopNow.query}| where DeviceName == {{DeviceName}}\n`);
    expect(() => renderHuntQuery(broken, { window: lastDays(5) })).toThrow(/unknown placeholder \{\{DeviceName\}\}/);
  });

  test('refuses values for parameter names the hunt does not declare, so a name cannot inject', () => {
    for (const name of ["x}}; DeviceInfo | take 1 //", 'TimeStart', 'Unknown']) {
      expect(() => renderHuntQuery(desktopNow, { window: lastDays(5), values: { [name]: 'anything' } })).toThrow(/no settable parameter/);
    }
  });

  test('renders a declared string parameter as a literal, whatever it contains', () => {
    const hostile = "NCH Software' or Signer has 'x";
    const hunt = withQuery(
      desktopNow,
      desktopNow.query.replace("'NCH Software'", '{{SignerName}}'),
      [...desktopNow.parameters, { name: 'SignerName', type: 'string', description: 'Signer to look for', default: 'NCH Software' }],
    );
    const kql = renderHuntQuery(hunt, { window: lastDays(5), values: { SignerName: hostile } });
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
    expect(devicesHit(kql)).toEqual([]);
    expect(devicesHit(renderHuntQuery(hunt, { window: lastDays(5) }))).toHaveLength(3);
  });

  test('refuses a parameter value of the wrong type', () => {
    const hunt = withQuery(desktopNow, desktopNow.query.replace("'NCH Software'", '{{SignerName}}'), [
      ...desktopNow.parameters,
      { name: 'SignerName', type: 'string', description: 'Signer', default: 'NCH Software' },
    ]);
    expect(() => renderHuntQuery(hunt, { window: lastDays(5), values: { SignerName: 42 } })).toThrow(/expects a string/);
  });
});

describe('the exclusion filter', () => {
  const watchlistAlias = "Hunt'Exclusions";
  const tags = [
    { SearchKey: 'rmm/desktopnow|dev-tagged', ExpiresAtUtc: '' },
    { SearchKey: 'rmm/desktopnow|dev-expired-tag', ExpiresAtUtc: new Date(NOW.getTime() - DAY).toISOString() },
    { SearchKey: 'rmm/anydesk|dev-recent', ExpiresAtUtc: '' },
  ];
  const kql = renderHuntQuery(desktopNow, { window: lastDays(5), exclusions: { watchlistAlias, huntKey: 'rmm/desktopnow', now: NOW } });

  test('analyses cleanly with the watchlist function', () => {
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
  });

  test('drops devices tagged for this hunt, keeps those whose tag expired or is for another hunt', () => {
    expect(devicesHit(kql, { [watchlistAlias]: tags })).toEqual(['dev-expired-tag', 'dev-recent']);
  });

  test('honours each tag scope: this tool on this device, every tool of the family on this device, this tool everywhere', () => {
    const scoped = (searchKey: string) => [{ SearchKey: searchKey, ExpiresAtUtc: '' }];
    expect(devicesHit(kql, { [watchlistAlias]: scoped('rmm/*|dev-tagged') })).toEqual(['dev-expired-tag', 'dev-recent']);
    expect(devicesHit(kql, { [watchlistAlias]: scoped('rmm/desktopnow|*') })).toEqual([]);
    expect(devicesHit(kql, { [watchlistAlias]: [...scoped('rmm/anydesk|*'), ...scoped('edr/*|dev-recent'), ...scoped('rmm/*|dev-elsewhere')] })).toHaveLength(3);
    const expired = [{ SearchKey: 'rmm/desktopnow|*', ExpiresAtUtc: new Date(NOW.getTime() - DAY).toISOString() }];
    expect(devicesHit(kql, { [watchlistAlias]: expired })).toHaveLength(3);
  });

  test('keeps every device when the watchlist is empty', () => {
    expect(devicesHit(kql, { [watchlistAlias]: [] })).toHaveLength(3);
  });

  test('writes the hunt key and alias as literals', () => {
    const odd = renderHuntQuery(desktopNow, { window: lastDays(5), exclusions: { watchlistAlias: "a'); DeviceInfo //", huntKey: "k'|x", now: NOW } });
    expect(checkQuery(odd).filter((d) => d.severity === 'Error')).toEqual([]);
    expect(odd).toContain("_GetWatchlist('a\\'); DeviceInfo //')");
  });
});

describe('marking benign-tagged devices instead of dropping them', () => {
  it('adds a BenignTagged column that is true only for devices with an active tag', async () => {
    const { KqlDatabase, KqlEngine, warmUpKql } = await import('../../src/kql');
    const { HuntCatalog } = await import('../../src/hunts/catalog');
    const { renderHuntQuery: render, BENIGN_TAGGED_COLUMN } = await import('../../src/hunts/render');
    await warmUpKql();
    // Analysis is catalog-load.test.ts's business; this is about the rendered filter.
    const resolution = HuntCatalog.load({ checkQuery: () => [] }).catalog.resolve('rmm', 'desktopnow');
    if (!resolution.ok) throw new Error(resolution.message);
    const now = new Date('2026-11-28T00:00:00Z');
    const kql = render(resolution.hunts[0], {
      window: { start: new Date('2026-11-20T00:00:00Z'), end: now },
      exclusions: { watchlistAlias: 'HuntBotExclusions', huntKey: 'rmm/desktopnow', now, mode: 'mark' },
    });
    const row = (id: string) => ({ Timestamp: '2026-11-25T00:00:00Z', DeviceId: id, DeviceName: `${id}.local`, Signer: 'NCH Software', ReportId: 1 });
    const tag = (id: string, expires: string) => ({ SearchKey: `rmm/desktopnow|${id}`, ExpiresAtUtc: expires });
    const result = new KqlEngine(KqlDatabase.fromRows({ DeviceFileCertificateInfo: [row('a'), row('b'), row('c')] })).query(kql, {
      now,
      watchlists: { HuntBotExclusions: [tag('a', ''), tag('b', '2026-11-27T00:00:00Z')] },
    });
    const column = result.columns.findIndex((c) => c.name === BENIGN_TAGGED_COLUMN);
    expect(result.columns[column].type).toBe('bool');
    const byDevice = Object.fromEntries(result.rows.map((r) => [r[0], r[column]]));
    expect(byDevice).toEqual({ a: true, b: false, c: false });
  });
});
