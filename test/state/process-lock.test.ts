import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStateStore } from '../../src/state/file-state-store';
import { ProcessLock } from '../../src/state/process-lock';
import { StateConflictError } from '../../src/state/state-store';

describe('the in-flight journal of a bot without Blob state', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-lock-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has one writer: a lock held by a live process (or this one) is refused', () => {
    const file = path.join(dir, 'inflight.lock');
    fs.writeFileSync(file, String(process.ppid));
    expect(ProcessLock.acquire(file)).toBeUndefined();
    fs.rmSync(file);
    const lock = ProcessLock.acquire(file)!;
    expect(lock).toBeDefined();
    expect(ProcessLock.acquire(file)).toBeUndefined();
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a process that died', () => {
    const file = path.join(dir, 'inflight.lock');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(file, String(dead));
    const lock = ProcessLock.acquire(file);
    expect(lock).toBeDefined();
    expect(fs.readFileSync(file, 'utf8')).toBe(String(process.pid));
    lock!.release();
  });

  it('keeps what was written across a reopen, with the same version checks as the other state stores', async () => {
    const file = path.join(dir, 'journal.json');
    const journal = new FileStateStore(file);
    const etag = await journal.write('inflight/index', [{ runId: 'r1' }], '*new*');
    await expect(journal.write('inflight/index', [], '*new*')).rejects.toBeInstanceOf(StateConflictError);
    const reopened = new FileStateStore(file);
    expect(await reopened.read('inflight/index')).toEqual({ value: [{ runId: 'r1' }], etag });
    await reopened.write('inflight/index', [], etag);
    expect((await new FileStateStore(file).read('inflight/index'))?.value).toEqual([]);
  });
});
