import * as path from 'node:path';
import { packageRoot } from '../package-root';

/** What bin/parser-snapshot.js (plain JavaScript, outside the TypeScript build) offers. */
interface ParserSnapshotLauncher {
  usableParserSnapshot(): string | undefined;
  startArguments(blob: string, script: string): string[];
}

/**
 * The Node.js arguments that run `script` in a process started from the Kusto parser's startup snapshot
 * (the parser loaded and warm), or undefined when there is none for this Node.js (another version, a
 * build that could not make it) or HUNTBOT_PARSER_SNAPSHOT=0: the process then loads the parser itself.
 */
export function parserSnapshotArguments(script: string): string[] | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the launcher is plain JavaScript, outside the TypeScript build
  const launcher = require(path.join(packageRoot(), 'bin', 'parser-snapshot.js')) as ParserSnapshotLauncher;
  const blob = launcher.usableParserSnapshot();
  return blob === undefined ? undefined : launcher.startArguments(blob, script);
}
