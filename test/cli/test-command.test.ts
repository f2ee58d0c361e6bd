import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'hunt-tests');

function captureIO(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (line) => out.push(line), err: (line) => err.push(line) };
  return { io, out, err };
}

describe('huntbot test: hunts proven on their own fixtures', () => {
  let failing: string;
  beforeAll(() => {
    failing = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-tests-'));
    for (const name of fs.readdirSync(EXAMPLE)) fs.cpSync(path.join(EXAMPLE, name), path.join(failing, name), { recursive: true });
    // The same hunt, now expected to catch the look-alike too: a wrong expectation must fail.
    fs.writeFileSync(
      path.join(failing, 'contoso-remote-filesig.fixtures', 'expect.yaml'),
      'now: 2026-11-28T03:00:00Z\nmustHit: [installed.contoso.local, lookalike.contoso.local]\nmustNotHit: [long-ago.contoso.local]\n',
    );
  });
  afterAll(() => fs.rmSync(failing, { recursive: true, force: true }));

  it('passes the worked example in examples/hunt-tests and exits 0', async () => {
    const { io, out, err } = captureIO();
    const code = await main(['test', EXAMPLE], io);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^PASS Contoso Remote file signature/), '1 hunt passed, 0 failed']));
  });

  it('fails a hunt whose expectation is not met, says which entity, and exits 1', async () => {
    const { io, out } = captureIO();
    expect(await main(['test', failing], io)).toBe(1);
    expect(out).toEqual(expect.arrayContaining([expect.stringMatching(/^FAIL Contoso Remote file signature/), '  - did not hit lookalike.contoso.local', '0 hunts passed, 1 failed']));
  });
});
