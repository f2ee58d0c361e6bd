import type { HuntResolution } from '../../src/hunts/catalog';
import { didYouMean, editDistance } from '../../src/util/did-you-mean';
import { catalogWithoutAnalysis } from './hunt-fixtures';

const catalog = catalogWithoutAnalysis();

function resolved(resolution: HuntResolution): { tool: string; kind: string; kinds: string[] } {
  if (!resolution.ok) throw new Error(`expected a hunt, got ${resolution.problem}: ${resolution.message}`);
  return { tool: resolution.tool.tool, kind: resolution.kind, kinds: resolution.hunts.map((h) => h.kind) };
}

function failure(resolution: HuntResolution): Extract<HuntResolution, { ok: false }> {
  if (resolution.ok) throw new Error(`expected a problem, got ${resolution.tool.tool} ${resolution.kind}`);
  return resolution;
}

describe('resolving `hunt <family> <tool> [<kind>]`', () => {
  test('the seed command finds the DesktopNow file signature hunt', () => {
    const resolution = catalog.resolve('rmm', 'desktopnow');
    expect(resolved(resolution)).toEqual({ tool: 'desktopnow', kind: 'filesig', kinds: ['filesig'] });
    expect(resolution.ok && resolution.hunts[0].query).toContain("Signer has 'NCH Software'");
  });

  test('words are case-insensitive', () => {
    expect(resolved(catalog.resolve('RMM', 'DesktopNow', 'FileSig')).tool).toBe('desktopnow');
  });

  test('without a kind, a tool with no file signature hunt gets its first kind', () => {
    expect(resolved(catalog.resolve('rmm', 'chromerdp'))).toMatchObject({ kind: 'process' });
    expect(resolved(catalog.resolve('rmm', 'addigy'))).toMatchObject({ kind: 'network' });
  });

  test('upstream kind names and short forms are accepted', () => {
    expect(resolved(catalog.resolve('rmm', 'anydesk', 'createproc')).kind).toBe('process');
    expect(resolved(catalog.resolve('rmm', 'anydesk', 'netconn')).kind).toBe('network');
    expect(resolved(catalog.resolve('rmm', 'anydesk', 'sig')).kind).toBe('filesig');
  });

  test('`all` returns every kind of the tool', () => {
    expect(resolved(catalog.resolve('rmm', 'anydesk', 'all'))).toEqual({ tool: 'anydesk', kind: 'all', kinds: ['filesig', 'process', 'network'] });
  });

  test.each([
    ['screenconnect', 'connectwise'],
    ['ScreenConnect', 'connectwise'],
    ['bomgar', 'beyondtrust'],
    ['n-able', 'nable'],
    ['parsec.app', 'parsec'],
    ['Chrome Remote Desktop', 'chromerdp'],
    ['zoho', 'zohoassist'],
  ])('the alias or display name %s means %s', (word, tool) => {
    expect(resolved(catalog.resolve('rmm', word)).tool).toBe(tool);
  });

  test('`any` is the all-tools network hunt, which names the tool per device', () => {
    const resolution = catalog.resolve('rmm', 'any');
    expect(resolved(resolution)).toMatchObject({ tool: 'any', kind: 'network', kinds: ['network'] });
    expect(resolution.ok && resolution.hunts[0].query).toMatch(/Tools=make_set\(Tool\)/);
  });

  test('`vnc` is ambiguous and lists the VNC tools', () => {
    const problem = failure(catalog.resolve('rmm', 'vnc'));
    expect(problem.problem).toBe('ambiguous');
    expect(problem.suggestions).toEqual(['realvnc', 'tigervnc', 'tightvnc']);
    expect(problem.message).toBe('"vnc" could mean RealVNC, TigerVNC or TightVNC; name one.');
  });

  test('a mistyped tool gets "did you mean" suggestions', () => {
    const problem = failure(catalog.resolve('rmm', 'teamveiwer'));
    expect(problem).toMatchObject({ problem: 'unknown-tool', suggestions: ['teamviewer'] });
    expect(problem.message).toBe('There is no rmm hunt for "teamveiwer".');
    expect(failure(catalog.resolve('rmm', 'anydsk')).suggestions).toContain('anydesk');
  });

  test('a tool with no hunt explains why and points to the hunts that cover it', () => {
    const problem = failure(catalog.resolve('rmm', 'electricai'));
    expect(problem.problem).toBe('no-hunt');
    expect(problem.message).toMatch(/ConnectWise Control/);
    expect(problem.suggestions).toEqual(['connectwise']);
    expect(failure(catalog.resolve('rmm', 'crossloop')).message).toMatch(/shut down in 2014/);
  });

  test('a kind the tool lacks says why when the reason is known', () => {
    const problem = failure(catalog.resolve('rmm', 'itarian', 'filesig'));
    expect(problem.problem).toBe('no-hunt');
    expect(problem.message).toMatch(/too broad/);
    expect(problem.suggestions).toEqual(['process', 'network']);
  });

  test('a word that is not a kind is an unknown kind', () => {
    expect(failure(catalog.resolve('rmm', 'anydesk', 'registry'))).toMatchObject({ problem: 'unknown-kind', suggestions: ['filesig', 'process', 'network', 'all'] });
  });

  test('an unknown family is reported with the families there are', () => {
    const problem = failure(catalog.resolve('rmn', 'anydesk'));
    expect(problem).toMatchObject({ problem: 'unknown-family', suggestions: ['rmm'] });
  });
});

describe('catalog listing', () => {
  test('tools(family) lists hunted and no-hunt tools, the latter with their reason', () => {
    const tools = catalog.tools('rmm');
    expect(tools.find((t) => t.tool === 'desktopnow')).toMatchObject({ toolName: 'DesktopNow', kinds: ['filesig', 'process', 'network'], defaultKind: 'filesig' });
    expect(tools.find((t) => t.tool === 'auvik')).toMatchObject({ kinds: [], noHuntReason: expect.stringMatching(/ConnectWise/) });
  });

  test('find() matches every word against family, tool, name, aliases and kind', () => {
    const names = catalog.find('vnc network').map((h) => h.tool);
    expect(names).toEqual(['realvnc', 'tigervnc', 'tightvnc']);
    expect(catalog.find('').length).toBe(catalog.size);
  });
});

describe('did-you-mean helpers', () => {
  test('edit distance counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('anydesk', 'anydsk')).toBe(1);
    expect(editDistance('teamviewer', 'teamveiwer')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('suggestions are close words or shared prefixes, closest first', () => {
    expect(didYouMean('splashtp', ['splashtop', 'supremo', 'simplehelp'])).toEqual(['splashtop']);
    expect(didYouMean('screen', ['screenmeet', 'screenconnect', 'anydesk'])).toEqual(['screenconnect', 'screenmeet']);
    expect(didYouMean('zzzzzz', ['anydesk'])).toEqual([]);
  });
});
