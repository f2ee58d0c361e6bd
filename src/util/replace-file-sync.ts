import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `text` to `file` whole or not at all: into a temporary file beside it, then renamed over it, so a
 * concurrent reader (another process, another test file) never sees half a file. Creates the folder.
 */
export function replaceFileSync(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}
