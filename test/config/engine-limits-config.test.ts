import { loadConfig } from '../../src/config/config';
import { problemsOf } from './config-problems';


describe('the embedded engine limits in the configuration', () => {
  it('default to 5,000,000 rows per operator, 120 s per query, 2,048 MB per worker and 8 MB of kept query shapes in the parser process', () => {
    expect(loadConfig({}).engine).toEqual({ maxRows: 5_000_000, timeoutSeconds: 120, workerMemoryMb: 2_048, parserTemplatesMb: 8 });
  });

  it('read HUNT_PARSER_TEMPLATES_MB, 0 keeping none', () => {
    expect(loadConfig({ HUNT_PARSER_TEMPLATES_MB: '0' }).engine.parserTemplatesMb).toBe(0);
    expect(loadConfig({ HUNT_PARSER_TEMPLATES_MB: '64' }).engine.parserTemplatesMb).toBe(64);
  });

  it('apply HUNT_QUERY_TIMEOUT_SECONDS to the embedded engine as well as to Log Analytics', () => {
    expect(loadConfig({ HUNT_QUERY_TIMEOUT_SECONDS: '30' }).engine.timeoutSeconds).toBe(30);
  });

  it('read HUNT_ENGINE_MAX_ROWS and HUNT_ENGINE_WORKER_MEMORY_MB', () => {
    const { engine } = loadConfig({ HUNT_ENGINE_MAX_ROWS: '20000', HUNT_ENGINE_WORKER_MEMORY_MB: '512' });
    expect(engine).toMatchObject({ maxRows: 20_000, workerMemoryMb: 512 });
  });

  it.each([
    ['HUNT_ENGINE_MAX_ROWS', '0'],
    ['HUNT_ENGINE_MAX_ROWS', '5,000,000'],
    ['HUNT_ENGINE_MAX_ROWS', '2000000000'],
    ['HUNT_ENGINE_WORKER_MEMORY_MB', '64'],
    ['HUNT_ENGINE_WORKER_MEMORY_MB', 'lots'],
    ['HUNT_PARSER_TEMPLATES_MB', '-1'],
    ['HUNT_PARSER_TEMPLATES_MB', '2048'],
  ])('refuses %s=%s, naming the setting and its range', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name} must be a whole number from \\d+ to \\d+ \\(got "${value}"\\)$`))]);
  });
});
