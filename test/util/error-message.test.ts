import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { errorMessage } from '../../src/util/error-message';

describe('errorMessage', () => {
  test('an Error gives its message, without its name or stack', () => {
    expect(errorMessage(new TypeError('bad input'))).toBe('bad input');
  });

  test('an Error from another realm gives its message too', () => {
    expect(errorMessage(vm.runInNewContext('new RangeError("from elsewhere")'))).toBe('from elsewhere');
  });

  test('anything else thrown is shown as text', () => {
    expect(errorMessage('plain string')).toBe('plain string');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });

  test('is the only copy in the app (the engine, which imports nothing of the app, keeps its own)', () => {
    const src = path.resolve(__dirname, '../../src');
    const copies = (fs.readdirSync(src, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts') && !file.startsWith(`kql${path.sep}`) && file !== path.join('util', 'error-message.ts'))
      .filter((file) => /(\w+) instanceof Error \? \1\.message/.test(fs.readFileSync(path.join(src, file), 'utf8')));
    expect(copies).toEqual([]);
  });
});
