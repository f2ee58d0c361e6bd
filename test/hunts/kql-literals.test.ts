import { KqlDatabase, KqlEngine, checkQuery, warmUpKql } from '../../src/kql';
import { kqlBool, kqlDatetime, kqlLong, kqlString, kqlTimespan } from '../../src/hunts/kql-literals';

const engine = new KqlEngine(KqlDatabase.fromRows({}));

/** What the engine makes of a literal: the value `print` returns for it. */
function evaluate(literal: string): unknown {
  const result = engine.query(`print v = ${literal}`, { now: new Date('2026-11-28T03:00:00Z') });
  return result.rows[0][0];
}

function errorsIn(kql: string): string[] {
  return checkQuery(kql)
    .filter((d) => d.severity === 'Error')
    .map((d) => `${d.code} ${d.message}`);
}

const HOSTILE_STRINGS: Record<string, string> = {
  'single quote': "O'Brien",
  'double quote': 'say "hi"',
  backslash: 'C:\\Program Files\\Level\\',
  'trailing backslash': 'ends with \\',
  newline: 'line one\nline two',
  'carriage return and tab': 'a\r\n\tb',
  'injection attempt': "'; drop table DeviceInfo; //",
  'closing placeholder braces': '}} {{TimeStart}} {{',
  'control characters': 'nul\u0000bell\u0007esc\u001b',
  'line separator': 'a\u2028b\u2029c',
  emoji: 'hunt 🕵️‍♀️ 🔥',
  'right-to-left text': 'مرحبا \u202eevil\u202c שלום',
  'non-ASCII signer': 'TEKNOPARS BİLİŞİM / Krämer IT Solutions GmbH / DWSNET OÜ',
  '10 KB of mixed text': `${"x'\\\n🙂".repeat(2048)}`.slice(0, 10_240),
};

beforeAll(async () => {
  await warmUpKql();
});

describe('kqlString', () => {
  test.each(Object.entries(HOSTILE_STRINGS))('keeps %s intact through the parser and the engine', (_label, text) => {
    const literal = kqlString(text);
    expect(errorsIn(`print v = ${literal}`)).toEqual([]);
    expect(evaluate(literal)).toBe(text);
  });

  test('produces one literal token even when the text tries to end it', () => {
    const literal = kqlString("x' or 1==1 or Signer has '");
    expect(evaluate(`strlen(${literal})`)).toBe("x' or 1==1 or Signer has '".length);
  });

  test('never emits a raw line break, which would end the literal', () => {
    expect(kqlString('a\nb\rc\u2028d')).not.toMatch(/[\n\r\u2028]/);
  });

  test('rejects values that are not strings', () => {
    expect(() => kqlString(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('kqlDatetime', () => {
  test('renders UTC with seven fractional digits', () => {
    expect(kqlDatetime(new Date('2026-11-28T03:00:00.000Z'))).toBe('datetime(2026-11-28T03:00:00.0000000Z)');
  });

  test('round-trips the instant through the engine', () => {
    const at = new Date('2026-02-03T04:05:06.789Z');
    expect(Date.parse(String(evaluate(kqlDatetime(at))))).toBe(at.getTime());
  });

  test('rejects an invalid date', () => {
    expect(() => kqlDatetime(new Date('not a date'))).toThrow(TypeError);
  });
});

describe('kqlTimespan', () => {
  test.each([
    [5 * 86_400_000, '5d'],
    [36 * 3_600_000, '36h'],
    [90_000, '90s'],
    [1500, '1500ms'],
    [0, '0s'],
  ])('renders %d ms as %s', (ms, text) => {
    expect(kqlTimespan(ms)).toBe(text);
  });

  test.each([5 * 86_400_000, 1500, 0.25, -3_600_000])('means the same duration to the engine (%d ms)', (ms) => {
    expect(evaluate(`${kqlTimespan(ms)} / 1ms`)).toBeCloseTo(ms, 6);
  });

  test('rejects non-finite durations', () => {
    expect(() => kqlTimespan(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});

describe('kqlLong and kqlBool', () => {
  test.each([0, 42, -7, Number.MAX_SAFE_INTEGER])('kqlLong(%d) evaluates to the same number', (n) => {
    expect(evaluate(kqlLong(n))).toBe(n);
  });

  test('kqlLong refuses fractions, so a value cannot smuggle in other text', () => {
    expect(() => kqlLong(1.5)).toThrow(TypeError);
    expect(() => kqlLong('1; drop' as unknown as number)).toThrow(TypeError);
  });

  test('kqlBool evaluates to the same boolean', () => {
    expect(evaluate(kqlBool(true))).toBe(true);
    expect(evaluate(kqlBool(false))).toBe(false);
  });
});
