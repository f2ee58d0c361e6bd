/**
 * A tiny vector rasteriser for the app icons: shapes are tests on points in a unit square
 * ([-1, 1] on both axes, y pointing down), and each pixel averages a grid of samples so edges are
 * anti-aliased without an image library.
 */

export type Point = readonly [number, number];
/** Straight (not premultiplied) RGBA, 0–255 each. */
export type Rgba = readonly [number, number, number, number];
/** Colour of the image at a point of the unit square. */
export type Shader = (x: number, y: number) => Rgba;

const SAMPLES_PER_AXIS = 4;

/** Renders `shade` into a size×size RGBA buffer. */
export function render(size: number, shade: Shader): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = SAMPLES_PER_AXIS;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied sums, so transparent samples do not darken the colour of partly covered pixels.
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = ((px + (sx + 0.5) / n) / size) * 2 - 1;
          const y = ((py + (sy + 0.5) / n) / size) * 2 - 1;
          const [cr, cg, cb, ca] = shade(x, y);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round(a / (n * n));
    }
  }
  return out;
}

/** Points along a quadratic Bézier from p0 to p2 (p0 excluded, p2 included), for building outlines. */
export function quadratic(p0: Point, control: Point, p2: Point, steps = 24): Point[] {
  const points: Point[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    points.push([
      u * u * p0[0] + 2 * u * t * control[0] + t * t * p2[0],
      u * u * p0[1] + 2 * u * t * control[1] + t * t * p2[1],
    ]);
  }
  return points;
}

/** Even-odd test: is (x, y) inside the closed polygon? */
export function insidePolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Distance from (x, y) to the segment a–b. */
export function distanceToSegment(x: number, y: number, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / lengthSquared));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

/** Distance from (x, y) to the outline of a closed polygon. */
export function distanceToOutline(x: number, y: number, polygon: readonly Point[]): number {
  let best = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    best = Math.min(best, distanceToSegment(x, y, polygon[j], polygon[i]));
  }
  return best;
}

/** Parses "#rrggbb" into an opaque colour. */
export function hexColor(hex: string): Rgba {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1], 16), parseInt(match[2], 16), parseInt(match[3], 16), 255];
}
