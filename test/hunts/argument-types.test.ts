import { KqlDatabase, KqlEngine, checkQuery, queryTokens, warmUpKql } from '../../src/kql';
import { ARGUMENT_TYPES, argumentLiterals, checkArgument, exampleArguments, type ArgumentType, type ArgumentValue } from '../../src/hunts/argument-types';
import { readArgumentDeclarations } from '../../src/hunts/hunt-arguments';

const engine = new KqlEngine(KqlDatabase.fromRows({}));

function valid(type: ArgumentType, text: string): ArgumentValue {
  const checked = checkArgument(type, text);
  if (!checked.ok) throw new Error(`${type} ${JSON.stringify(text)} was refused: ${checked.message}`);
  return checked.argument;
}

function refusal(type: ArgumentType, text: string): string {
  const checked = checkArgument(type, text);
  if (checked.ok) throw new Error(`${type} ${JSON.stringify(text)} was accepted as ${checked.argument.value}`);
  return checked.message;
}

/** Every literal of a value through the official parser and the engine: one token each, evaluating to the part. */
function expectInertLiterals(name: string, argument: ArgumentValue): void {
  const literals = argumentLiterals(name, argument);
  for (const [placeholder, literal] of Object.entries(literals)) {
    const kql = `print v = ${literal}`;
    expect(checkQuery(kql).filter((d) => d.severity === 'Error')).toEqual([]);
    expect(queryTokens(kql)).toEqual(['print', 'v', '=', literal]);
    const expected = placeholder === name ? argument.value : argument.parts[placeholder.slice(name.length + 1)];
    expect(engine.query(kql, { now: new Date() }).rows[0][0]).toBe(expected);
  }
}

beforeAll(async () => {
  await warmUpKql();
});

describe('hash arguments', () => {
  test('are lower-cased hex of their length; `hash` picks the kind by length', () => {
    expect(valid('sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855').value).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(valid('hash', 'da39a3ee5e6b4b0d3255bfef95601890afd80709').parts).toEqual({ Kind: 'sha1' });
    expect(valid('hash', 'd41d8cd98f00b204e9800998ecf8427e').parts).toEqual({ Kind: 'md5' });
  });

  test('of the wrong length or with non-hex characters are refused with the type and an example', () => {
    expect(refusal('sha256', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toMatch(/SHA256.*40 hex characters.*Example: `e3b0/);
    expect(refusal('hash', 'g41d8cd98f00b204e9800998ecf8427e')).toMatch(/only 0-9 and a-f/);
    expect(refusal('md5', 'd41d8cd98f00b204e9800998ecf8427')).toMatch(/MD5/);
  });
});

describe('domain and url arguments', () => {
  test('a domain is lower-case punycode without a trailing dot', () => {
    expect(valid('domain', 'Evil-Example.COM.').value).toBe('evil-example.com');
    expect(valid('domain', 'bücher.example').value).toBe('xn--bcher-kva.example');
  });

  test('a Unicode look-alike of a domain becomes its own punycode name, never the domain it imitates', () => {
    const cyrillicA = valid('domain', 'ex\u0430mple.com').value;
    expect(cyrillicA).not.toBe('example.com');
    expect(cyrillicA).toMatch(/^xn--/);
  });

  test('a url matches its exact host; only http(s), no credentials', () => {
    expect(valid('url', 'https://CDN.Example.com:8443/a?b=c').value).toBe('cdn.example.com');
    expect(valid('url', 'cdn.example.com/x').value).toBe('cdn.example.com');
    expect(refusal('url', 'ftp://example.com/')).toMatch(/only http and https/);
    expect(refusal('url', 'https://user:pw@example.com/')).toMatch(/no user names/);
  });

  test.each(['example', '-bad.com', 'a..b', '1.2.3.4', "exa'mple.com", 'exa|mple.com', 'a b.com', 'x'.repeat(64) + '.com'])('"%s" is not a domain', (text) => {
    expect(refusal('domain', text)).toMatch(/not a domain name.*Example: `example.com`/);
  });
});

describe('ip arguments', () => {
  test('IPv4 as given, IPv6 in canonical compressed lower case', () => {
    expect(valid('ip', '203.0.113.7').value).toBe('203.0.113.7');
    expect(valid('ip', '2001:DB8:0:0:0:0:0:1').value).toBe('2001:db8::1');
    expect(valid('ip', '[2001:db8::1]').value).toBe('2001:db8::1');
  });

  test.each(['203.0.113', '203.0.113.256', '010.0.0.1', 'fe80::1%eth0', '::g'])('"%s" is refused', (text) => {
    expect(refusal('ip', text)).toMatch(/IPv4 or IPv6/);
  });
});

describe('account arguments', () => {
  test('a UPN, DOMAIN\\name and a bare name split into name and domain', () => {
    expect(valid('account', 'Alice@Contoso.com')).toEqual({ type: 'account', value: 'alice@contoso.com', parts: { Name: 'alice', Domain: 'contoso', Upn: 'alice@contoso.com' } });
    expect(valid('account', 'CONTOSO\\alice')).toEqual({ type: 'account', value: 'contoso\\alice', parts: { Name: 'alice', Domain: 'contoso', Upn: '' } });
    expect(valid('account', 'alice')).toEqual({ type: 'account', value: 'alice', parts: { Name: 'alice', Domain: '', Upn: '' } });
  });

  test.each(['a\\b\\c', 'a@b@c.com', 'alice@nodot', 'ali"ce', 'ali|ce', 'a,b'])('"%s" is refused', (text) => {
    expect(refusal('account', text)).toMatch(/account/);
  });
});

describe('device arguments', () => {
  test('a device name or id, lower-cased', () => {
    expect(valid('device', 'FIN-WS-0142.contoso.local').value).toBe('fin-ws-0142.contoso.local');
    expect(valid('device', 'A'.repeat(40)).value).toBe('a'.repeat(40));
    expect(refusal('device', 'fin-ws-0142;drop')).toMatch(/device name or 40-character device id/);
  });
});

/** What an attacker in the channel may type as the entity. */
const HOSTILE: Record<string, string> = {
  quote: "x' or 1==1 or '",
  'double quote': 'x" or 1==1',
  backslash: 'C:\\evil\\',
  pipe: 'x | take 1',
  newline: 'x\n| project secret',
  'KQL keyword': 'union',
  'KQL operators': '*) or (1 == 1',
  'placeholder braces': '{{TimeStart}}',
  'over-long': 'a'.repeat(5_000),
  'zero-width space': 'exa\u200bmple.com',
  'right-to-left override': 'moc.elpmaxe\u202e',
  'Cyrillic look-alike': 'ex\u0430mple.com',
  'full-width look-alike': 'ｅｘａｍｐｌｅ.com',
};

describe.each([...ARGUMENT_TYPES])('hostile values for a %s argument', (type) => {
  test.each(Object.entries(HOSTILE))('%s is refused or rendered as inert literals', (_label, text) => {
    const checked = checkArgument(type, text);
    if (!checked.ok) {
      expect(checked.message.length).toBeLessThan(200);
      expect(checked.message).toContain('Example:');
      return;
    }
    expectInertLiterals('Entity', checked.argument);
  });
});

describe('rendering', () => {
  test('refuses a value that did not come from the validator', () => {
    expect(() => argumentLiterals('Hash', { type: 'sha256', value: "x' or 1==1", parts: {} })).toThrow(/not a validated sha256/);
    expect(() => argumentLiterals('User', { type: 'account', value: 'alice', parts: { Name: "x'|take 1" } })).not.toThrow();
    // Parts are re-derived from the value, never taken from the object passed in.
    expect(argumentLiterals('User', { type: 'account', value: 'alice', parts: { Name: "x'|take 1" } }).User_Name).toBe("'alice'");
  });

  test('every type has an example that validates', () => {
    const values = exampleArguments({ arguments: ARGUMENT_TYPES.map((type) => ({ name: `A_${type}`, type })) });
    expect(Object.keys(values)).toHaveLength(ARGUMENT_TYPES.length);
  });
});

describe('argument declarations in a hunt file', () => {
  test('name a type and a description, and provide their placeholders', () => {
    const read = readArgumentDeclarations({ User: { type: 'account', description: 'who' } });
    expect(read.problems).toEqual([]);
    expect(read.arguments).toEqual([{ name: 'User', type: 'account', description: 'who' }]);
    expect(read.placeholders).toEqual(['User', 'User_Name', 'User_Domain', 'User_Upn']);
  });

  test('an unknown type, a bad name, a missing description or an unknown key is named', () => {
    const read = readArgumentDeclarations({ 'bad name': { type: 'ip', description: 'x' }, A: { type: 'email', description: 'x' }, B: { type: 'ip' }, C: { type: 'ip', description: 'x', default: '1.2.3.4' } });
    expect(read.problems).toEqual([
      "field 'arguments.bad name' must be named with letters, digits and underscores",
      "field 'arguments.A.type' must be one of device, sha256, sha1, md5, hash, domain, url, ip, account, string",
      "field 'arguments.B.description' must be a non-empty string",
      "field 'arguments.C.default' is not a known field (type, description)",
    ]);
  });
});
