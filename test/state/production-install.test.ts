import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { childProcessesOf } from '../../bench/bot-rss';
import { certRow } from '../support/telemetry-fixture';
import { REPO, staleBuild, startBotProcess, type BotProcess } from './bot-process';

const run = promisify(execFile);

interface LockedPackage {
  dev?: boolean;
  optional?: boolean;
  link?: boolean;
  resolved?: string;
}

/** Folders a deployment does not get from the repository: installed, built or written at run time, or the tests. */
const NOT_DEPLOYED = new Set(['node_modules', 'dist', '.git', '.huntbot', 'coverage', 'tmp', 'test']);

/**
 * node_modules as `npm ci --omit=dev` lays it out: the lockfile's packages that are not dev-only, each a tree of
 * hard links to this checkout's installed copy, or a copy of it (same bytes, native addons included, no download).
 */
function installProductionPackages(root: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const production = Object.entries(lock.packages).filter(([key, entry]) => key.startsWith('node_modules/') && !entry.dev);
  const keys = production.map(([key]) => key);
  for (const [key, entry] of production) {
    // A package nested in another production package comes with it.
    if (keys.some((other) => key.startsWith(`${other}/`))) continue;
    const to = path.join(root, key);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (entry.link) {
      fs.symlinkSync(path.relative(path.dirname(to), path.join(root, entry.resolved!)), to);
      continue;
    }
    const from = path.join(REPO, key);
    if (!fs.existsSync(from)) {
      if (entry.optional) continue; // another platform's optional binary
      throw new Error(`${key} is in the lockfile but not installed here: run npm ci`);
    }
    try {
      execFileSync('cp', ['-al', from, to], { stdio: 'pipe' });
    } catch {
      // Hard links cannot cross file systems (a tmpfs /tmp): a copy then.
      fs.rmSync(to, { recursive: true, force: true });
      execFileSync('cp', ['-a', from, to]);
    }
  }
}

/** The repository's files, its build, and production packages only: what `npm ci` then `npm ci --omit=dev` leave. */
function productionInstall(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-production-'));
  for (const entry of fs.readdirSync(REPO)) {
    if (!NOT_DEPLOYED.has(entry)) fs.cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
  }
  fs.cpSync(path.join(REPO, 'dist'), path.join(root, 'dist'), { recursive: true });
  installProductionPackages(root);
  return root;
}

const huntbot = (root: string, args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [path.join(root, 'bin', 'huntbot.js'), ...args], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 180_000 });

describe('a production install (the build, then npm ci --omit=dev)', () => {
  let root: string;
  let bot: BotProcess | undefined;

  beforeAll(() => {
    const stale = staleBuild();
    if (stale) throw new Error(stale);
    root = productionInstall();
  });

  afterAll(async () => {
    await bot?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('has none of the development packages (TypeScript, jest, ts-jest, eslint), and its own production ones', async () => {
    // Node's own resolution from the install's folder, as the bot's modules resolve theirs.
    const where = (name: string) => `(() => { try { return require.resolve(${JSON.stringify(name)}); } catch { return null; } })()`;
    const names = ['typescript', 'jest', 'ts-jest', 'eslint', 'botbuilder', '@kusto/language-service-next'];
    const { stdout } = await run(process.execPath, ['-e', `console.log(JSON.stringify([${names.map(where).join(', ')}]))`], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    const resolved = JSON.parse(stdout) as Array<string | null>;
    expect(resolved.slice(0, 4)).toEqual([null, null, null, null]);
    for (const file of resolved.slice(4)) expect(file?.startsWith(path.join(root, 'node_modules'))).toBe(true);
  });

  it('starts the bot with its Kusto parser process, and answers "hunt rmm desktopnow 5d" sent by huntbot chat with the result card', async () => {
    bot = await startBotProcess('production bot', { HUNT_CACHE_DIR: path.join(root, 'cache'), HUNT_STORE_PATH: path.join(root, 'huntbot.db') }, 180_000, { root });
    expect(childProcessesOf(bot.pid)).toHaveLength(1);
    const { stdout } = await huntbot(root, ['chat', '--url', `${bot.url}/api/messages`, '--once', 'hunt rmm desktopnow 5d', '--timeout', '120']);
    expect(stdout).toMatch(/Tag benign — \S+/);
    expect(stdout).not.toMatch(/Hunt failed/);
  });

  it('answers huntbot query over a data folder', async () => {
    const data = path.join(root, 'data');
    fs.mkdirSync(data);
    const now = new Date('2026-06-01T12:00:00Z');
    const rows = [certRow('d1', 'ws-1.contoso.local', 'DesktopNow Inc', new Date(now.getTime() - 3_600_000), 1), certRow('d2', 'ws-2.contoso.local', 'Other', new Date(now.getTime() - 7_200_000), 2)];
    fs.writeFileSync(path.join(data, 'DeviceFileCertificateInfo.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n'));
    const { stdout } = await huntbot(root, ['query', '--data', data, '--now', now.toISOString(), '--json', "DeviceFileCertificateInfo | where Signer has 'DesktopNow' | project DeviceName"], {
      HUNT_CACHE_DIR: path.join(root, 'query-cache'),
    });
    expect((JSON.parse(stdout) as { rows: unknown[][] }).rows).toEqual([['ws-1.contoso.local']]);
  });
});
