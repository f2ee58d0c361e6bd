import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import { replaceFileSync } from '../util/replace-file-sync';
import { sha256Hex } from '../util/sha256-hex';

/**
 * Starts the worker script `name` in `dir` (the caller's __dirname). Built (`dist/src/backends/*.js`)
 * it is plain `<name>.js`. From source (ts-jest, whose transform does not reach worker threads) it
 * is `<name>.ts`, loaded through a `.ts` require hook that strips types with the project's own
 * TypeScript compiler (`transpileModule`, sound because tsconfig sets isolatedModules). The hook is
 * only installed when running from source, so the built bot never needs TypeScript at run time.
 * `transferList`: ports (say) inside workerData that move to the new thread.
 */
export function startThread(dir: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits, transferList?: TransferListItem[]): Worker {
  if (path.extname(__filename) !== '.ts') return new Worker(path.join(dir, `${name}.js`), { workerData, resourceLimits, transferList });
  return new Worker(typeScriptBootstrap(path.join(dir, `${name}.ts`)), { eval: true, workerData, resourceLimits, transferList });
}

/**
 * The file a child process runs for the script `name` in `dir` (the caller's __dirname): built, plain
 * `<name>.js`; from source, a file holding the same bootstrap as a worker thread's (written once, named
 * by its content, beside the transpiled files).
 */
export function scriptForProcess(dir: string, name: string): string {
  if (path.extname(__filename) !== '.ts') return path.join(dir, `${name}.js`);
  const bootstrap = typeScriptBootstrap(path.join(dir, `${name}.ts`));
  const file = path.join(TRANSPILED_CACHE, `${sha256Hex(bootstrap)}.bootstrap.js`);
  if (!fs.existsSync(file)) replaceFileSync(file, bootstrap);
  return file;
}

const TRANSPILED_CACHE = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'engine-worker-ts');

/**
 * The eval'd entry of a worker started from source. Transpiled files are cached by content under
 * node_modules/.cache (project-owned, unlike a shared /tmp), which saves each new worker the ~2 s of
 * transpiling the engine, and the loading of TypeScript itself when every file is cached.
 */
function typeScriptBootstrap(script: string): string {
  const cacheDir = TRANSPILED_CACHE;
  return `
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { threadId } = require('node:worker_threads');
// TypeScript itself (a quarter second of CPU to load) only on a cache miss; the key needs just its version.
const typescriptVersion = require(${JSON.stringify(require.resolve('typescript/package.json'))}).version;
let ts;
const compilerOptions = { module: 'CommonJS', target: 'ES2022', esModuleInterop: true };
const cacheDir = ${JSON.stringify(cacheDir)};
fs.mkdirSync(cacheDir, { recursive: true });
Module._extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update([typescriptVersion, JSON.stringify(compilerOptions), filename, source].join('\0')).digest('hex');
  const cached = path.join(cacheDir, key + '.js');
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    ts ??= require(${JSON.stringify(require.resolve('typescript'))});
    code = ts.transpileModule(source, { fileName: filename, compilerOptions: ts.convertCompilerOptionsFromJson(compilerOptions).options }).outputText;
    const temp = cached + '.' + process.pid + '-' + threadId;
    try {
      fs.writeFileSync(temp, code);
      fs.renameSync(temp, cached);
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }
  module._compile(code, filename);
};
require(${JSON.stringify(script)});
`;
}
