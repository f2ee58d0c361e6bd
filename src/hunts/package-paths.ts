import * as path from 'node:path';
import { packageRoot } from '../package-root';

export { packageRoot };

/** `src/hunts`: built-in hunts (one folder per family) and the catalog's data files (tsc does not copy .yaml into dist/). */
export function builtinHuntsDir(): string {
  return path.join(packageRoot(), 'src', 'hunts');
}
