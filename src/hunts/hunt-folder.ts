import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Lists and reads the hunt files of one folder without trusting it: links are followed only when
 * they stay inside the folder, only regular files are opened (never a FIFO or a device, which would
 * block start-up), and size and count are capped. Problems name the file and never quote its text.
 */

export interface HuntFolderLimits {
  /** Largest hunt file read, in bytes (the biggest built-in hunt is ~15 KB). */
  maxFileBytes: number;
  /** Hunt files read per folder; the rest (by name) are reported, not read. */
  maxFiles: number;
  /** Sub-folder depth walked below the folder. */
  maxDepth: number;
}

export const DEFAULT_HUNT_FOLDER_LIMITS: HuntFolderLimits = { maxFileBytes: 256 * 1024, maxFiles: 1000, maxDepth: 8 };

export interface HuntFileEntry {
  /** The path as listed (what problems name). */
  path: string;
  /** Where the bytes are read from: the path itself, or a link's target inside the folder. */
  readFrom: string;
}

export interface HuntFolderProblem {
  path: string;
  reason: string;
}

const YAML_NAME = /\.ya?ml$/i;

/** A hunt's fixtures folder: `<hunt file name without .yaml>.fixtures`. */
export const FIXTURES_FOLDER = /\.fixtures$/i;

/** `*.yaml`/`*.yml` files under `dir`, sorted by name, with a problem for each one not read. */
export function listHuntFiles(dir: string, limits: HuntFolderLimits = DEFAULT_HUNT_FOLDER_LIMITS): { files: HuntFileEntry[]; problems: HuntFolderProblem[] } {
  const files: HuntFileEntry[] = [];
  const problems: HuntFolderProblem[] = [];
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch (error) {
    return { files, problems: [{ path: dir, reason: `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }] };
  }
  let overflow = 0;

  const walk = (folder: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      problems.push({ path: folder, reason: `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        // `<hunt>.fixtures/` holds a hunt's test data and expect.yaml (`huntbot test`), not hunts.
        if (FIXTURES_FOLDER.test(entry.name)) continue;
        if (depth >= limits.maxDepth) problems.push({ path: full, reason: `is more than ${limits.maxDepth} folders deep; not read` });
        else walk(full, depth + 1);
        continue;
      }
      if (entry.isSymbolicLink()) {
        const linked = followLink(full, root);
        if ('reason' in linked) problems.push({ path: full, reason: linked.reason });
        else if (linked.isFile && YAML_NAME.test(entry.name)) add({ path: full, readFrom: linked.target });
        continue;
      }
      if (!YAML_NAME.test(entry.name)) continue;
      if (entry.isFile()) add({ path: full, readFrom: full });
      else problems.push({ path: full, reason: 'is not a regular file; not read' });
    }
  };
  const add = (file: HuntFileEntry): void => {
    if (files.length < limits.maxFiles) files.push(file);
    else overflow++;
  };

  walk(dir, 0);
  if (overflow > 0) {
    problems.push({ path: dir, reason: `holds more than ${limits.maxFiles} hunt files; the ${overflow} after the first ${limits.maxFiles} (by name) were not read` });
  }
  return { files, problems };
}

/** A link's target when it is inside `root`; links out of the folder, dangling links and links to folders are refused. */
function followLink(link: string, root: string): { target: string; isFile: boolean } | { reason: string } {
  let target: string;
  let stat: fs.Stats;
  try {
    target = fs.realpathSync(link);
    stat = fs.statSync(target);
  } catch {
    return { reason: 'is a link to nothing that can be read; not read' };
  }
  if (!isInside(root, target)) return { reason: 'is a link to a file outside the hunt folder; links out of the folder are not followed' };
  if (stat.isDirectory()) return { reason: 'is a link to a folder; linked folders are not followed' };
  return { target, isFile: stat.isFile() };
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

// Not every platform defines these (Windows); 0 leaves the open as it was.
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = fs.constants.O_NONBLOCK ?? 0;

/**
 * The file's text, read through one descriptor so what is checked (a regular file, its size) is what
 * is read, even if the name is swapped for a link or a FIFO after listing.
 */
export function readHuntFile(entry: HuntFileEntry, limits: HuntFolderLimits = DEFAULT_HUNT_FOLDER_LIMITS): { text: string } | { reason: string } {
  let fd: number;
  try {
    fd = fs.openSync(entry.readFrom, fs.constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { reason: code === 'ELOOP' ? 'became a link after it was listed; not read' : `cannot be opened (${code ?? 'error'})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { reason: 'is not a regular file; not read' };
    if (stat.size > limits.maxFileBytes) return { reason: tooBig(limits) };
    // One byte more than allowed tells a file that grew since fstat from one that fits.
    const buffer = Buffer.alloc(limits.maxFileBytes + 1);
    let filled = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled > limits.maxFileBytes) return { reason: tooBig(limits) };
    }
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, filled)) };
    } catch {
      return { reason: 'is not UTF-8 text' };
    }
  } finally {
    fs.closeSync(fd);
  }
}

function tooBig(limits: HuntFolderLimits): string {
  return `is larger than ${Math.round(limits.maxFileBytes / 1024)} KiB, the largest hunt file read; not read`;
}

/** The folders directly under `dir`, sorted: the built-in hunt folders under src/hunts (one per family). */
export function subdirectories(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(dir, entry.name))
    .sort();
}
