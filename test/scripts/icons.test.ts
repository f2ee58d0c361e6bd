import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/icons/icons';
import { loadManifestTemplate } from '../../src/packaging/build-manifest';
import { manifestDir } from '../../src/packaging/paths';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE, readPngHeader } from '../../src/packaging/png-header';
import { encodePng } from '../../scripts/icons/png';
import { decodePng } from './png-decoder';

const colorPng = readFileSync(join(manifestDir(), 'color.png'));
const outlinePng = readFileSync(join(manifestDir(), 'outline.png'));

function pixels(rgba: Uint8Array): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < rgba.length; i += 4) out.push([rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]);
  return out;
}

describe('the committed app icons', () => {
  // Drawing takes seconds (16 samples per pixel), so each icon is drawn once for the file.
  let drawnColor: Uint8Array;
  let drawnOutline: Uint8Array;
  beforeAll(() => {
    drawnColor = drawColorIcon(String(loadManifestTemplate().accentColor));
    drawnOutline = drawOutlineIcon();
  });

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
    expect(Buffer.from(decodePng(colorPng).rgba).equals(Buffer.from(drawnColor))).toBe(true);
    expect(Buffer.from(decodePng(outlinePng).rgba).equals(Buffer.from(drawnOutline))).toBe(true);
  });

  test('are byte for byte what `npm run icons` writes', () => {
    expect(encodePng(COLOR_ICON_SIZE, COLOR_ICON_SIZE, drawnColor, 2).equals(colorPng)).toBe(true);
    expect(encodePng(OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE, drawnOutline, 6).equals(outlinePng)).toBe(true);
  });

  test('color.png uses the accent colour as its background', () => {
    const accent = String(loadManifestTemplate().accentColor);
    const [r, g, b] = pixels(decodePng(colorPng).rgba)[0];
    expect(`#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`.toLowerCase()).toBe(accent.toLowerCase());
  });
});
