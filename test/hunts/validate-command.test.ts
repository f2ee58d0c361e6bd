import { validateCommand } from '../../src/cli/validate-command';
import type { CliIO } from '../../src/cli/io';
import { huntFileText, tempHuntsDir } from './hunt-fixtures';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('huntbot validate', () => {
  const good = tempHuntsDir({ 'contoso.yaml': huntFileText() });
  const bad = tempHuntsDir({ 'no-window.yaml': huntFileText({ query: 'DeviceFileCertificateInfo | take 1' }) });
  afterAll(() => {
    good.cleanup();
    bad.cleanup();
  });

  test('passes the built-in hunts plus a folder of good files', async () => {
    const io = captureIO();
    expect(await validateCommand([good.dir], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(io.stdout.join('\n')).toMatch(/hunts valid \(\d+ built-in, 1 from your folders\); 0 problems/);
  }, 60_000);

  test('prints each problem with its path and reason and exits 1', async () => {
    const io = captureIO();
    expect(await validateCommand([good.dir, bad.dir], io)).toBe(1);
    expect(io.stderr).toEqual([expect.stringMatching(/no-window\.yaml: field 'query' must use the \{\{TimeStart\}\} placeholder/)]);
  }, 60_000);

  test('rejects options it does not know', async () => {
    const io = captureIO();
    expect(await validateCommand(['--strict'], io)).toBe(2);
  });
});
