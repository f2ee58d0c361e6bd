import { parseExpectFile } from '../../src/hunt-tests/expect-file';

/** expect.yaml as `huntbot test` reads it: schemas/hunt-expect.schema.json plus what a schema cannot say. */

const problemOf = (text: string): string => {
  const parsed = parseExpectFile(text);
  if (parsed.ok) throw new Error('expected a problem');
  return parsed.reason;
};

test('hit and miss lists, a window, parameter and argument values are read', () => {
  const parsed = parseExpectFile('hit: [ws-001]\nmiss: [ws-002, d-003]\nwindow: {start: 2026-11-27T00:00:00Z, end: 2026-11-28T00:00:00+01:00}\nparameters: {MinCount: 3, Lookback: 2h, Strict: true}\narguments: {Domain: example.com}\n');
  expect(parsed).toEqual({
    ok: true,
    expectation: {
      hit: ['ws-001'],
      miss: ['ws-002', 'd-003'],
      window: { start: new Date('2026-11-27T00:00:00Z'), end: new Date('2026-11-27T23:00:00Z') },
      parameters: { MinCount: 3, Lookback: '2h', Strict: true },
      arguments: { Domain: 'example.com' },
    },
  });
});

test('only misses is a valid expectation (a hunt that must stay quiet on benign fixtures)', () => {
  expect(parseExpectFile('miss: [ws-002]\n')).toEqual({ ok: true, expectation: { hit: [], miss: ['ws-002'], parameters: {}, arguments: {} } });
});

test('a file naming no entity says what to add', () => {
  expect(problemOf('parameters: {MinCount: 3}\n')).toBe('names no entity: add hit: [<entities the hunt must find>] and/or miss: [<entities it must not find>]');
});

test('each wrong field is named with what it must be', () => {
  expect(problemOf('hit: ws-001\n')).toBe("field 'hit' must be a list of entity names, e.g. [ws-001]");
  expect(problemOf('hit: [ws-001, ""]\n')).toBe("field 'hit[1]' must be a list of entity names, e.g. [ws-001]");
  expect(problemOf('hit: [a]\nwindow: 7d\n')).toBe("field 'window' must be a mapping with start and end times");
  expect(problemOf('hit: [a]\nwindow: {start: 2026-11-27}\n')).toBe("field 'window.start' must be an ISO 8601 time with an offset, e.g. 2026-11-27T00:00:00Z; field 'window.end' is required");
  expect(problemOf('hit: [a]\nparameters: {MinCount: [1]}\n')).toBe("field 'parameters.MinCount' must be a string, number or true/false");
  expect(problemOf('hit: [a]\nhits: [b]\n')).toBe("unknown field 'hits'");
});

test('a window that ends before it starts, or an entity both hit and missed, is refused', () => {
  expect(problemOf('hit: [a]\nwindow: {start: 2026-11-28T00:00:00Z, end: 2026-11-27T00:00:00Z}\n')).toBe("field 'window' must end after it starts");
  expect(problemOf('hit: [WS-1]\nmiss: [ws-1]\n')).toBe('lists WS-1 under both hit and miss');
});

test('YAML that does not parse, or is not a mapping, is said so', () => {
  expect(problemOf('hit: [ws-001\n')).toMatch(/^invalid YAML: /);
  expect(problemOf('- ws-001\n')).toBe('must be a YAML mapping with hit and/or miss lists');
});

test('aliases that expand past the cap are refused, not expanded', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`), 'hit: *i'].join('\n');
  expect(problemOf(bomb)).toMatch(/^invalid YAML: /);
});
