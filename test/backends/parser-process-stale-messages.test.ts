import type { ChildProcess } from 'node:child_process';
import { ParserProcess } from '../../src/backends/parser-process';
import type { ParserStatusMessage } from '../../src/backends/kql-parser-process';

// A process started from source (no parser snapshot for it) loads the ~100 MB Kusto parser: allow for a slow, shared machine.
jest.setTimeout(300_000);

/**
 * What a stopped parser process said just before it died can be read after its exit, once its
 * successor runs: it is about the dead process, and never counts for the one that replaced it.
 */
describe('a parser process restarted while its predecessor still has something to say', () => {
  let parser: ParserProcess;
  afterEach(() => parser.close());

  it("does not take the dead process's last 'warm' for the new process's: the new one dying before it is warm is a failed start", async () => {
    const changes: Array<string | undefined> = [];
    let changed: () => void = () => undefined;
    // A budget of one restart, which the first crash below uses: a second crash of a warm process would wait out a cool-down.
    parser = new ParserProcess(() => {
      changes.push(parser.failure);
      changed();
    }, { restartBudget: 1 });
    await parser.warmed;
    const nextChange = () => new Promise<void>((resolve) => (changed = resolve));

    const first = parser.process;
    let restarted = nextChange();
    first.kill('SIGKILL');
    await restarted;
    const second = parser.process;
    expect(second).not.toBe(first);

    // The first process's 'warm', read late; then the second dies before it has loaded the parser.
    (first as ChildProcess).emit('message', { type: 'warm' } satisfies ParserStatusMessage);
    restarted = nextChange();
    second.kill('SIGKILL');
    await restarted;

    // A failed start is tried again at once: no cool-down, no failure.
    expect(changes).toEqual([undefined, undefined]);
    expect(parser.failure).toBeUndefined();
    expect(parser.starts).toBe(3);
  });
});
