import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyserFingerprint } from '../../src/hunts/analyser-fingerprint';

describe("the analyser's fingerprint (which kept verdicts the build may reuse)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-analyser-fingerprint-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('kql/index.js', 'const a = require("./a");\nexports.x = require("../schemas/s.json");');
  write('kql/a.js', 'const b = require("./parser");\nexports.a = 1;');
  write('kql/parser/index.js', 'exports.b = 2;');
  write('schemas/s.json', '{"tables":[]}');
  write('kql/unused.js', 'exports.u = 3;');
  const entry = path.join(dir, 'kql', 'index');

  it('changes with any file the analyser imports, however deep, its JSON included, and not with a file it does not import', () => {
    const before = analyserFingerprint(entry);
    write('kql/unused.js', 'exports.u = 4;');
    expect(analyserFingerprint(entry)).toBe(before);
    for (const [file, text] of [['kql/parser/index.js', 'exports.b = 3;'], ['schemas/s.json', '{"tables":[1]}']]) {
      const previous = analyserFingerprint(entry);
      write(file, text);
      expect(analyserFingerprint(entry)).not.toBe(previous);
    }
  });

  it("of this process's own analyser: the same on every call", () => {
    expect(analyserFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(analyserFingerprint()).toBe(analyserFingerprint());
  });
});
