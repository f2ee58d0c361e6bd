import { hashBytes } from '../../src/kql/storage/byte-hash';
import { ByteDictionary } from '../../src/kql/storage/byte-dictionary';
import { jsonStringEnd, scanJsonString, type StringScan } from '../../src/kql/storage/jsonl-string-scan';

/** `prefix` then a JSON string literal of `content`'s raw bytes then `suffix`, and where the content starts. */
function line(content: Buffer, prefix = 0, suffix = '}'): { buf: Buffer; view: DataView; start: number } {
  const buf = Buffer.concat([Buffer.alloc(prefix, 0x20), Buffer.from('"'), content, Buffer.from(`"${suffix}`)]);
  return { buf, view: new DataView(buf.buffer, buf.byteOffset, buf.byteLength), start: prefix + 1 };
}

describe('scanJsonString', () => {
  const scan: StringScan = { hash: 0, escaped: false };

  it('finds the closing quote and hashes the content as hashBytes does, at every length and word alignment', () => {
    const text = 'DESKTOP-ünï名前.corp.contoso.com-0123456789';
    for (let length = 0; length <= Buffer.byteLength(text); length++) {
      const content = Buffer.from(text).subarray(0, length);
      for (let prefix = 0; prefix < 4; prefix++) {
        const { buf, view, start } = line(content, prefix);
        const quote = scanJsonString(buf, view, start, buf.length, scan);
        expect(quote).toBe(start + length);
        expect(scan.escaped).toBe(false);
        expect(scan.hash).toBe(hashBytes(content, 0, length));
        expect(jsonStringEnd(buf, view, start, buf.length, scan)).toBe(quote);
      }
    }
  });

  it('stops at a quote, backslash or control byte in any byte of a word', () => {
    for (let at = 0; at < 9; at++) {
      const plain = Buffer.from('abcdefghij');
      const escaped = Buffer.from(plain);
      escaped[at] = 0x5c; // \x -> an escape: the string goes on to the next unescaped quote
      const { buf, view, start } = line(Buffer.concat([escaped, Buffer.from('\\"k')]));
      const quote = scanJsonString(buf, view, start, buf.length, scan);
      expect(scan.escaped).toBe(true);
      expect(buf[quote]).toBe(0x22);
      expect(quote).toBe(buf.length - 2);

      for (const control of [0x00, 0x09, 0x1f]) {
        const bad = Buffer.from(plain);
        bad[at] = control;
        const raw = line(bad);
        expect(scanJsonString(raw.buf, raw.view, raw.start, raw.buf.length, scan)).toBe(-1);
        expect(jsonStringEnd(raw.buf, raw.view, raw.start, raw.buf.length, scan)).toBe(-1);
      }
    }
  });

  it('reports a string that does not end on the line', () => {
    const buf = Buffer.from('"no end here, not even a \\" quote');
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    expect(scanJsonString(buf, view, 1, buf.length, scan)).toBe(-1);
    expect(jsonStringEnd(buf, view, 1, buf.length, scan)).toBe(-1);
  });
});

describe('ByteDictionary', () => {
  it('gives equal bytes one code, whichever buffer they come from, through its rehashes', () => {
    const dictionary = new ByteDictionary();
    const values = Array.from({ length: 5000 }, (_, k) => `wks-${String(k).padStart(4, '0')}.contoso.local`);
    const intern = (value: string, pad: number) => {
      const buf = Buffer.concat([Buffer.alloc(pad), Buffer.from(value)]);
      return dictionary.intern(buf, pad, buf.length, hashBytes(buf, pad, buf.length));
    };
    const codes = values.map((v, k) => intern(v, k % 5));
    expect(codes).toEqual(values.map((_, k) => k));
    expect(values.map((v, k) => intern(v, (k + 3) % 7))).toEqual(codes);
    expect(intern('', 0)).toBe(values.length);
    expect(dictionary.values).toEqual([...values, '']);
  });
});
