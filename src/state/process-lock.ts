import * as fs from 'node:fs';
import * as path from 'node:path';

/** Lock files held by this process, so a second app in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * An exclusive claim on a file by one live process: a lock file holding the owner's pid, taken with
 * O_EXCL. A lock left by a process that died (crash, SIGKILL) is taken over; so is one naming our own
 * pid that this process did not take (a container restarted with the same pid).
 */
export class ProcessLock {
  private constructor(readonly file: string) {}

  /** The lock, or undefined when another live process (or another app in this process) holds it. */
  static acquire(file: string): ProcessLock | undefined {
    const resolved = path.resolve(file);
    if (heldHere.has(resolved)) return undefined;
    fs.mkdirSync(path.dirname(resolved), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(resolved, String(process.pid), { flag: 'wx' });
        heldHere.add(resolved);
        return new ProcessLock(resolved);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (isAlive(ownerOf(resolved))) return undefined;
        fs.rmSync(resolved, { force: true });
      }
    }
    return undefined;
  }

  release(): void {
    if (!heldHere.delete(this.file)) return;
    if (ownerOf(this.file) === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
