import { classifyRun } from '../../bench/corpus/outcome';
import { KqlDatabase, KqlEngine } from '../../src/kql';

const NOW = new Date('2024-06-01T00:00:00Z');
let engine: KqlEngine;

beforeAll(() => {
  const rows = ['cmd.exe', 'powershell.exe', 'notepad.exe'].map((FileName, i) => ({
    Timestamp: new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(),
    DeviceId: `dev${i}`,
    DeviceName: `host${i}`,
    FileName,
    ProcessCommandLine: `${FileName} /c whoami`,
  }));
  engine = new KqlEngine(KqlDatabase.fromRows({ DeviceProcessEvents: rows }));
});

function outcomeOf(kql: string, limits = {}) {
  return classifyRun(() => engine.query(kql, { now: NOW, limits }));
}

describe('a published hunt is classified by what the engine did with it', () => {
  it('counts a query that runs, with the rows it returned', () => {
    expect(outcomeOf("DeviceProcessEvents | where FileName =~ 'CMD.EXE'")).toEqual({ class: 'runs', rows: 1 });
  });

  it('counts a query that runs and matches nothing as running', () => {
    expect(outcomeOf("DeviceProcessEvents | where FileName == 'mimikatz.exe'")).toEqual({ class: 'runs', rows: 0 });
  });

  it('names the table the schema lacks', () => {
    const outcome = outcomeOf('HuntbotNoSuchTable | take 1');
    expect(outcome).toMatchObject({ class: 'unknown-table', names: ['HuntbotNoSuchTable'] });
  });

  it('names the missing table rather than the columns it would have explained', () => {
    const outcome = outcomeOf('HuntbotNoSuchTable | where NoSuchColumn == 1 | join DeviceProcessEvents on DeviceId');
    expect(outcome.class).toBe('unknown-table');
    expect(outcome.names).toEqual(['HuntbotNoSuchTable']);
  });

  it('names an unknown column of a known table', () => {
    expect(outcomeOf('DeviceProcessEvents | where HuntbotNoSuchColumn == 1')).toMatchObject({ class: 'unknown-column', names: ['HuntbotNoSuchColumn'] });
  });

  it('names a function the analyser does not know', () => {
    expect(outcomeOf('DeviceProcessEvents | extend x = huntbot_no_such_function(FileName)')).toMatchObject({
      class: 'unknown-function',
      names: ['huntbot_no_such_function'],
    });
  });

  it('classifies a syntax error as a parser error with the diagnostic', () => {
    const outcome = outcomeOf('DeviceProcessEvents | where');
    expect(outcome.class).toBe('parser-error');
    expect(outcome.message).toMatch(/^KS\d+: /);
  });

  it('names the construct the engine refuses', () => {
    // autocluster is a documented plugin the issue does not ask the engine to evaluate.
    const outcome = outcomeOf('DeviceProcessEvents | evaluate autocluster()');
    expect(outcome.class).toBe('refused-construct');
    expect(outcome.names?.[0]).toMatch(/autocluster|Evaluate/i);
  });

  it('classifies a query stopped by its time budget as a timeout', () => {
    const outcome = outcomeOf('range x from 1 to 50000000 step 1 | summarize count() by k = x % 1000', { timeoutMs: 1 });
    expect(outcome).toMatchObject({ class: 'timeout', names: ['time'] });
  });

  it('classifies a query stopped by another limit as a limit, naming it', () => {
    expect(outcomeOf('range x from 1 to 1000 step 1', { maxRows: 10 })).toMatchObject({ class: 'limit', names: ['rows'] });
  });

  it('classifies a valid query that fails while evaluating as a runtime error with its message', () => {
    const outcome = outcomeOf('DeviceProcessEvents | where FileName matches regex "("');
    expect(outcome.class).toBe('runtime-error');
    expect(outcome.message).toMatch(/regular expression/i);
  });

  it('classifies an error the engine did not expect as a crash, never as a verdict on the query', () => {
    expect(classifyRun(() => { throw new TypeError('boom'); })).toEqual({ class: 'crash', message: 'TypeError: boom' });
  });
});
