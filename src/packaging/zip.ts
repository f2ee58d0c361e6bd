/**
 * Writes a zip archive in memory with fflate. Every entry gets the same fixed timestamp, so the same
 * files give the same bytes (a reproducible Teams app package).
 */
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  /** Path inside the archive, with forward slashes; the Teams package keeps every file at the root. */
  name: string;
  data: Uint8Array;
}

/**
 * 1980-01-01 00:00 local time, the earliest date a zip can hold. fflate writes the local-time fields of
 * the Date, so building it from local-time parts gives the same bytes in every time zone.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** Formats that are already compressed: deflating them again only costs time and a few bytes. */
const ALREADY_COMPRESSED = /\.(png|jpe?g|gif|zip)$/i;

export function createZip(entries: readonly ZipEntry[]): Buffer {
  checkNames(entries);
  const files: Zippable = {};
  for (const { name, data } of entries) {
    files[name] = [data, { level: ALREADY_COMPRESSED.test(name) ? 0 : 9, mtime: FIXED_MTIME }];
  }
  return Buffer.from(zipSync(files));
}

function checkNames(entries: readonly ZipEntry[]): void {
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
      throw new Error(`createZip: unsafe entry name "${name}"`);
    }
    if (seen.has(name)) throw new Error(`createZip: duplicate entry "${name}"`);
    seen.add(name);
  }
}
