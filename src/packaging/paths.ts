/** Where the packaging inputs and outputs live. */
import { join } from 'node:path';
import { packageRoot } from '../package-root';

/** manifest/ holds the manifest template and the committed icons. */
export function manifestDir(): string {
  return join(packageRoot(), 'manifest');
}

/** Default package location: dist/appPackage/huntbot-teams-app.zip under the package root. */
export function defaultPackagePath(): string {
  return join(packageRoot(), 'dist', 'appPackage', 'huntbot-teams-app.zip');
}
