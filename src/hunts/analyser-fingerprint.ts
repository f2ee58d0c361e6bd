import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A relative import or require in compiled (`require("./x")`) or source (`from './x'`) code. */
const RELATIVE_IMPORT = /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](\.\.?\/[^'"]+)['"]/g;

/**
 * SHA-256 of the code of the embedded KQL analyser (src/kql and all it imports, as this process runs it:
 * the build's JavaScript, or the TypeScript under ts-jest). A verdict's key names the release, not this
 * code: the build reuses a kept verdict only when the analyser that reached it is this one (builtin-verdicts.ts).
 */
export function analyserFingerprint(entry = path.join(__dirname, '..', 'kql', 'index')): string {
  const first = resolveFile(entry);
  if (first === undefined) throw new Error(`the KQL analyser is not at ${entry}`);
  const files = new Set<string>();
  const pending = [first];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    if (file.endsWith('.json')) continue;
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const imported = resolveFile(path.resolve(path.dirname(file), specifier));
      if (imported !== undefined) pending.push(imported);
    }
  }
  const hash = createHash('sha256');
  const root = path.dirname(entry);
  for (const file of [...files].sort()) hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The file an import names, as Node.js or ts-jest would find it; undefined for one that is not there (a type-only path). */
function resolveFile(base: string): string | undefined {
  for (const candidate of [base, `${base}.js`, `${base}.ts`, path.join(base, 'index.js'), path.join(base, 'index.ts')]) {
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return undefined;
}
