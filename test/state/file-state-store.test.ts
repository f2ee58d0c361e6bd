import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStateStore } from '../../src/state/file-state-store';
import { updateState } from '../../src/state/state-store';

describe('the in-flight journal file (FileStateStore)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-journal-'));
    file = path.join(dir, 'journal.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const onDisk = () => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { value: unknown }>;

  it('resolves a write only once the file on disk holds it', async () => {
    const journal = new FileStateStore(file);
    await journal.write('inflight/index', [{ runId: 'r1' }]);
    expect(onDisk()['inflight/index'].value).toEqual([{ runId: 'r1' }]);
    await journal.delete('inflight/index');
    expect(onDisk()).toEqual({});
  });

  it('touches no file while the writes are being made: the disk is written off the event loop', async () => {
    const journal = new FileStateStore(file);
    const writes = Array.from({ length: 20 }, (_, i) => journal.write(`instances/${i}`, { at: i }));
    expect(fs.existsSync(file)).toBe(false);
    await Promise.all(writes);
    expect(Object.keys(onDisk())).toHaveLength(20);
  });

  /** Starts each change in its own turn of the event loop, as hunts starting and finishing do, while file writes are under way. */
  async function burst(count: number, change: (i: number) => Promise<unknown>): Promise<void> {
    const changes: Array<Promise<unknown>> = [];
    for (let i = 0; i < count; i++) {
      changes.push(change(i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(changes);
  }

  it('loses none of a burst of changes to one record made while the file is being written, on disk as in memory', async () => {
    const journal = new FileStateStore(file);
    await burst(50, (i) => updateState<string[]>(journal, 'inflight/index', (current) => [...(current ?? []), `run-${i}`]));
    await burst(25, (i) => updateState<string[]>(journal, 'inflight/index', (current) => (current ?? []).filter((runId) => runId !== `run-${i * 2}`)));
    const expected = Array.from({ length: 25 }, (_, i) => `run-${i * 2 + 1}`);
    expect((await journal.read<string[]>('inflight/index'))?.value).toEqual(expected);
    expect((await new FileStateStore(file).read<string[]>('inflight/index'))?.value).toEqual(expected);
  });

  it('rejects the writes whose file write failed, and writes the next change again', async () => {
    const journal = new FileStateStore(file);
    await journal.write('a', 1);
    fs.rmSync(dir, { recursive: true, force: true });
    await expect(journal.write('b', 2)).rejects.toThrow();
    fs.mkdirSync(dir);
    await journal.write('c', 3);
    expect(Object.keys(onDisk()).sort()).toEqual(['a', 'b', 'c']);
  });
});
