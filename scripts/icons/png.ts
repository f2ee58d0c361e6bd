/** Minimal PNG writing (8-bit RGB or RGBA, no interlace) with node:zlib only, for the committed app icons. */
import { crc32, deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG colour types we write: 2 = truecolour, 6 = truecolour with alpha. */
export type PngColorType = 2 | 6;

/**
 * Encodes `pixels` (row-major, 4 bytes RGBA per pixel) as a PNG.
 * With colour type 2 the alpha byte is dropped, so an icon that must be opaque cannot leak transparency.
 */
export function encodePng(width: number, height: number, pixels: Uint8Array, colorType: PngColorType = 6): Buffer {
  if (pixels.length !== width * height * 4) {
    throw new Error(`encodePng: expected ${width * height * 4} RGBA bytes, got ${pixels.length}`);
  }
  const channels = colorType === 6 ? 4 : 3;
  const stride = width * channels + 1; // +1: the filter-type byte that starts every scanline
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter "None": icons are tiny, so smarter filters are not worth the code
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 4;
      const dst = y * stride + 1 + x * channels;
      for (let c = 0; c < channels; c++) raw[dst + c] = pixels[src + c];
    }
  }

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colorType;
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method: adaptive
  ihdr[12] = 0; // no interlace

  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0); // CRC covers type + data
  return Buffer.concat([head, data, crc]);
}
