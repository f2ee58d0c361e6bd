/**
 * Draws the two Teams app icons (a shield with a crosshair: "hunting, for security") and writes them
 * to manifest/. Run it after changing the design or the accent colour; the PNGs are committed.
 *
 *   npm run icons
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE } from '../../src/packaging/png-header';
import { manifestDir } from '../../src/packaging/paths';
import { encodePng } from './png';
import { distanceToOutline, distanceToSegment, hexColor, insidePolygon, Point, quadratic, render, Rgba } from './raster';

const WHITE: Rgba = [255, 255, 255, 255];
const TRANSPARENT: Rgba = [255, 255, 255, 0];

/** Heater-shield outline in the unit square: a slightly raised top, straight sides, curved to a point. */
function shield(scaleX: number, scaleY: number): Point[] {
  const s = (p: Point): Point => [p[0] * scaleX, p[1] * scaleY];
  const topLeft: Point = [-0.62, -0.66];
  const topRight: Point = [0.62, -0.66];
  const shoulderRight: Point = [0.62, -0.02];
  const tip: Point = [0, 0.86];
  const shoulderLeft: Point = [-0.62, -0.02];
  return [
    topLeft,
    ...quadratic(topLeft, [0, -0.86], topRight),
    shoulderRight,
    ...quadratic(shoulderRight, [0.6, 0.56], tip),
    ...quadratic(tip, [-0.6, 0.56], shoulderLeft),
  ].map(s);
}

interface Reticle {
  cx: number;
  cy: number;
  ringRadius: number;
  stroke: number;
  /** Ticks run along the axes from `tickInner` to `tickOuter` (distance from the centre). */
  tickInner: number;
  tickOuter: number;
  dotRadius: number;
}

function onReticle(x: number, y: number, r: Reticle): boolean {
  const dx = x - r.cx;
  const dy = y - r.cy;
  const distance = Math.hypot(dx, dy);
  if (Math.abs(distance - r.ringRadius) <= r.stroke / 2) return true;
  if (distance <= r.dotRadius) return true;
  const half = r.stroke / 2;
  for (const [ux, uy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
    const a: Point = [r.cx + ux * r.tickInner, r.cy + uy * r.tickInner];
    const b: Point = [r.cx + ux * r.tickOuter, r.cy + uy * r.tickOuter];
    if (distanceToSegment(x, y, a, b) <= half) return true;
  }
  return false;
}

/** Full-colour icon: white shield on the accent colour, with the crosshair cut out in the accent colour. */
export function drawColorIcon(accent: string): Uint8Array {
  const background = hexColor(accent);
  const outline = shield(1, 1);
  const reticle: Reticle = { cx: 0, cy: -0.02, ringRadius: 0.27, stroke: 0.075, tickInner: 0.15, tickOuter: 0.42, dotRadius: 0.055 };
  return render(COLOR_ICON_SIZE, (x, y) => {
    if (!insidePolygon(x, y, outline)) return background;
    return onReticle(x, y, reticle) ? background : WHITE;
  });
}

/** Outline icon: white strokes only on a transparent background, as Teams requires. */
export function drawOutlineIcon(): Uint8Array {
  // Widened so the straight sides sit on pixel boundaries (x = 5 and 27 px): a 2 px stroke there
  // stays crisp instead of smearing over three grey columns.
  const outline = shield(1.109, 1.05);
  const stroke = 0.125; // 2 px at 32×32: thinner strokes blur into grey
  const reticle: Reticle = { cx: 0, cy: -0.02, ringRadius: 0.25, stroke: 0.12, tickInner: 0.25, tickOuter: 0.45, dotRadius: 0.07 };
  return render(OUTLINE_ICON_SIZE, (x, y) => {
    const onShield = distanceToOutline(x, y, outline) <= stroke / 2;
    return onShield || onReticle(x, y, reticle) ? WHITE : TRANSPARENT;
  });
}

export function main(): void {
  const dir = manifestDir();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { accentColor: string };
  // The colour icon is opaque, so it is written without an alpha channel.
  writeFileSync(join(dir, 'color.png'), encodePng(COLOR_ICON_SIZE, COLOR_ICON_SIZE, drawColorIcon(manifest.accentColor), 2));
  writeFileSync(join(dir, 'outline.png'), encodePng(OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE, drawOutlineIcon(), 6));
  console.log(`icons written to ${dir}`);
}

if (require.main === module) main();
