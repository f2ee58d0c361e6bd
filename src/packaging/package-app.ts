/**
 * Builds the Teams app package: the filled manifest plus its two icons, at the root of one zip.
 *
 *   MicrosoftAppId=<bot app id> [TEAMS_APP_ID=<guid>] [HUNTBOT_APP_VERSION=1.2.3] \
 *     node dist/src/packaging/package-app.js [--out <file.zip>]
 *
 * Any configuration problem, schema violation or bad icon ends the run with one line listing all of
 * them and exit code 1, so a CI log shows everything to fix at once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliIO, processIO } from '../cli/io';
import { buildManifest, loadManifestTemplate, Manifest, PackagingEnv } from './build-manifest';
import { validateManifest } from './manifest-schema';
import { PackagingError } from './packaging-error';
import { defaultPackagePath, manifestDir } from './paths';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE, readPngHeader } from './png-header';
import { createZip, ZipEntry } from './zip';

export { buildManifest } from './build-manifest';
export { validateManifest } from './manifest-schema';
export { PackagingError } from './packaging-error';

export interface WriteOptions {
  /** Where to write the zip; parent folders are created. */
  outFile: string;
  /** Folder holding manifest.json and the icon files it names (default: manifest/). */
  sourceDir?: string;
}

export interface PackageResult {
  outFile: string;
  manifest: Manifest;
}

/** PNG colour types with an alpha channel (grey+alpha, RGBA): the outline icon needs transparency. */
const ALPHA_COLOR_TYPES = new Set([4, 6]);

/**
 * Writes the zip for an already valid manifest: manifest.json and the icons it names, all at the root
 * (Teams cannot find icons in sub-folders). Throws a PackagingError when an icon is missing or wrong.
 */
export function writeAppPackage(manifest: Manifest, options: WriteOptions): string {
  const iconsDir = options.sourceDir ?? manifestDir();
  const icons = (manifest.icons ?? {}) as { color?: string; outline?: string };
  const problems: string[] = [];
  const color = readIcon(iconsDir, 'color', icons.color, COLOR_ICON_SIZE, false, problems);
  const outline = readIcon(iconsDir, 'outline', icons.outline, OUTLINE_ICON_SIZE, true, problems);
  if (problems.length > 0 || !color || !outline) throw new PackagingError(problems);

  const entries: ZipEntry[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    color,
    outline,
  ];
  const outFile = resolve(options.outFile);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, createZip(entries));
  return outFile;
}

function readIcon(
  dir: string,
  role: 'color' | 'outline',
  name: string | undefined,
  size: number,
  needsAlpha: boolean,
  problems: string[],
): ZipEntry | undefined {
  if (!name || basename(name) !== name) {
    problems.push(`icons.${role} must name a file at the package root, got ${JSON.stringify(name)}`);
    return undefined;
  }
  let data: Buffer;
  try {
    data = readFileSync(join(dir, name));
  } catch {
    problems.push(`icons.${role}: ${join(dir, name)} cannot be read`);
    return undefined;
  }
  try {
    const header = readPngHeader(data);
    if (header.width !== size || header.height !== size) {
      problems.push(`icons.${role} ${name} is ${header.width}×${header.height}, Teams requires ${size}×${size}`);
    }
    if (needsAlpha && !ALPHA_COLOR_TYPES.has(header.colorType)) {
      problems.push(`icons.${role} ${name} has no alpha channel; the outline icon needs a transparent background`);
    }
  } catch (error) {
    problems.push(`icons.${role} ${name}: ${(error as Error).message}`);
  }
  return { name, data };
}

/** Builds, validates and writes the package; throws a PackagingError listing every problem. */
export function packageApp(env: PackagingEnv, options: WriteOptions): PackageResult {
  const manifest = buildManifest(env, loadManifestTemplate(options.sourceDir));
  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new PackagingError(problems.map((p) => `manifest.json ${p}`));
  return { outFile: writeAppPackage(manifest, options), manifest };
}

/** CLI entry point; returns the exit code rather than exiting, so tests can call it. */
export async function main(args: string[], io: CliIO = processIO, env: PackagingEnv = process.env): Promise<number> {
  let outFile = defaultPackagePath();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--out' && i + 1 < args.length) outFile = args[++i];
    else if (arg.startsWith('--out=')) outFile = arg.slice('--out='.length);
    else if (arg === '--help' || arg === '-h') {
      io.out('usage: MicrosoftAppId=<guid> [TEAMS_APP_ID=<guid>] [HUNTBOT_APP_VERSION=x.y.z] package-app [--out <file.zip>]');
      return 0;
    } else {
      io.err(`package-app: unknown argument "${arg}" (usage: package-app [--out <file.zip>])`);
      return 1;
    }
  }

  try {
    const { outFile: written, manifest } = packageApp(env, { outFile });
    const bot = (manifest.bots as Array<{ botId: string }>)[0];
    io.out(
      `package-app: wrote ${written} (manifest ${String(manifest.manifestVersion)}, version ${String(manifest.version)}, ` +
        `app id ${String(manifest.id)}, bot id ${bot.botId})`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof PackagingError)) throw error;
    io.err(`package-app: cannot build the Teams app package: ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`package-app: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
