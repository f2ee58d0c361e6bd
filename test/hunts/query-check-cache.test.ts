import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryCheckCache } from '../../src/hunts/query-check-cache';
import type { KqlDiagnostic } from '../../src/kql/types';

describe('the query check cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huntbot-cache-'));
  const file = path.join(dir, 'kql-checks.json');
  const verdict: KqlDiagnostic[] = [{ severity: 'Error', code: 'KS142', message: 'unknown column', start: 1, length: 2, line: 1, column: 2 }];
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('analyses a query once and reuses the verdict in a later process', () => {
    const inner = jest.fn(() => verdict);
    const first = new QueryCheckCache(file, inner, 'v1');
    expect(first.check('T | where x')).toEqual(verdict);
    expect(first.check('T | where x')).toEqual(verdict);
    first.flush();
    const second = new QueryCheckCache(file, inner, 'v1');
    expect(second.check('T | where x')).toEqual(verdict);
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('analyses again when the query text, the schemas or the parser change', () => {
    const inner = jest.fn(() => []);
    const cache = new QueryCheckCache(file, inner, 'v2');
    cache.check('T | where x');
    cache.check('T | where y');
    expect(inner).toHaveBeenCalledTimes(2);
  });

  it('keeps a verdict reached while the bot runs on disk at once, for the next process (a run\'s query shape)', () => {
    const inner = jest.fn(() => verdict);
    const running = new QueryCheckCache(file, inner, 'v3');
    expect(running.checkAndKeep('T | where z')).toEqual(verdict);
    expect(new QueryCheckCache(file, inner, 'v3').check('T | where z')).toEqual(verdict);
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('keys each verdict by the schema at the time of the check, so a verdict from before a schema change never answers after it', () => {
    let schema = 'workspace A';
    const inner = jest.fn(() => (schema === 'workspace A' ? verdict : []));
    const cache = new QueryCheckCache(file, inner, () => schema);
    expect(cache.check('T | where w')).toEqual(verdict);
    schema = 'workspace B';
    expect(cache.check('T | where w')).toEqual([]);
    schema = 'workspace A';
    expect(cache.check('T | where w')).toEqual(verdict);
    expect(inner).toHaveBeenCalledTimes(2);
  });

  it('keeps the verdicts another process wrote since it read the file when it writes its own', () => {
    const shared = path.join(dir, 'shared-checks.json');
    const bot = new QueryCheckCache(shared, () => verdict, 'v5');
    const validate = new QueryCheckCache(shared, () => [], 'v5');
    bot.checkAndKeep('T | where bot');
    validate.check('T | where validate');
    validate.flush();
    const inner = jest.fn(() => []);
    const later = new QueryCheckCache(shared, inner, 'v5');
    expect(later.check('T | where bot')).toEqual(verdict);
    expect(later.check('T | where validate')).toEqual([]);
    expect(inner).not.toHaveBeenCalled();
  });

  it('starts empty from a corrupt cache file instead of failing', () => {
    fs.writeFileSync(file, '{not json');
    const inner = jest.fn(() => []);
    new QueryCheckCache(file, inner, 'v1').check('T');
    expect(inner).toHaveBeenCalledTimes(1);
  });
});
