import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawColorIcon, drawOutlineIcon } from '../../src/packaging/icons';
import { loadManifestTemplate } from '../../src/packaging/build-manifest';
import { manifestDir } from '../../src/packaging/paths';
import { readPngHeader } from '../../src/packaging/png';
import { decodePng } from './helpers/png-decoder';

const colorPng = readFileSync(join(manifestDir(), 'color.png'));
const outlinePng = readFileSync(join(manifestDir(), 'outline.png'));

function pixels(rgba: Uint8Array): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < rgba.length; i += 4) out.push([rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]);
  return out;
}

describe('the committed app icons', () => {
  test('color.png is 192×192', () => {
    expect(readPngHeader(colorPng)).toMatchObject({ width: 192, height: 192 });
  });

  test('color.png is fully opaque', () => {
    expect(pixels(decodePng(colorPng).rgba).every(([, , , a]) => a === 255)).toBe(true);
  });

  test('outline.png is 32×32 with an alpha channel', () => {
    const header = readPngHeader(outlinePng);
    expect(header).toMatchObject({ width: 32, height: 32 });
    expect([4, 6]).toContain(header.colorType);
  });

  test('outline.png has only white or fully transparent pixels, with both present', () => {
    const all = pixels(decodePng(outlinePng).rgba);
    const offenders = all.filter(([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255));
    expect(offenders).toEqual([]);
    expect(all.some(([, , , a]) => a === 0)).toBe(true);
    expect(all.some(([, , , a]) => a === 255)).toBe(true);
  });

  test('match what icons.ts draws with the manifest accent colour, so the PNGs and the design cannot drift', () => {
    const accent = String(loadManifestTemplate().accentColor);
    expect(Buffer.from(decodePng(colorPng).rgba).equals(Buffer.from(drawColorIcon(accent)))).toBe(true);
    expect(Buffer.from(decodePng(outlinePng).rgba).equals(Buffer.from(drawOutlineIcon()))).toBe(true);
  });

  test('color.png uses the accent colour as its background', () => {
    const accent = String(loadManifestTemplate().accentColor);
    const [r, g, b] = pixels(decodePng(colorPng).rgba)[0];
    expect(`#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`.toLowerCase()).toBe(accent.toLowerCase());
  });
});
