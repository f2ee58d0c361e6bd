import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { kqlString } from './kql-literals';
import { HUNT_ARGUMENT_TYPES, type HuntArgumentType, type HuntArgumentValue } from '../domain/hunt-definition';

/**
 * Typed hunt arguments (an entity a responder asks about): one validator and one renderer per type.
 * A value is validated and normalized first (a hash lower-cased hex of the right length, a domain as
 * lower-case punycode, an IP in canonical form, an account split into domain and name); only the
 * normalized value is ever rendered, and only as kqlString literals. User text reaches KQL in no other way.
 */

export const ARGUMENT_TYPES = HUNT_ARGUMENT_TYPES;
export type ArgumentType = HuntArgumentType;

export function isArgumentType(value: unknown): value is ArgumentType {
  return (ARGUMENT_TYPES as readonly string[]).includes(value as string);
}

/** A validated value. Parts: for `hash` its Kind; for `account` its Name, Domain (NetBIOS form) and Upn. */
export type ArgumentValue = HuntArgumentValue;

export type ArgumentCheck = { ok: true; argument: ArgumentValue } | { ok: false; message: string };

/** Placeholder suffixes each type provides besides `{{Name}}` itself: `{{Name_Kind}}`, `{{Name_Domain}}`, … */
export const ARGUMENT_PARTS: Readonly<Record<ArgumentType, readonly string[]>> = {
  device: [],
  sha256: [],
  sha1: [],
  md5: [],
  hash: ['Kind'],
  domain: [],
  url: [],
  ip: [],
  account: ['Name', 'Domain', 'Upn'],
  string: [],
};

const EXAMPLES: Readonly<Record<ArgumentType, string>> = {
  device: 'fin-ws-0142.contoso.local',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  domain: 'example.com',
  url: 'https://cdn.example.com/path',
  ip: '203.0.113.7',
  account: 'alice@contoso.com',
  string: 'anything',
};

const DESCRIPTIONS: Readonly<Record<ArgumentType, string>> = {
  device: 'a device name or 40-character device id',
  sha256: 'a SHA256 hash (64 hex characters)',
  sha1: 'a SHA1 hash (40 hex characters)',
  md5: 'an MD5 hash (32 hex characters)',
  hash: 'a SHA256, SHA1 or MD5 hash (64, 40 or 32 hex characters)',
  domain: 'a domain name',
  url: 'an http(s) URL or a host name',
  ip: 'an IPv4 or IPv6 address',
  account: 'an account (UPN, DOMAIN\\name or name)',
  string: 'a text of at most 256 characters',
};

export function argumentExample(type: ArgumentType): string {
  return EXAMPLES[type];
}

/** The one-line refusal: the type, what it expects, an example. */
export function argumentProblem(type: ArgumentType, why?: string): string {
  return `That is not ${DESCRIPTIONS[type]}${why ? ` (${why})` : ''}. Example: \`${EXAMPLES[type]}\`.`;
}

const MAX_LENGTH: Readonly<Record<ArgumentType, number>> = {
  device: 255,
  sha256: 64,
  sha1: 40,
  md5: 32,
  hash: 64,
  domain: 253,
  url: 2048,
  ip: 45,
  account: 320,
  string: 256,
};

const HASH_KINDS: Readonly<Record<number, 'sha256' | 'sha1' | 'md5'>> = { 64: 'sha256', 40: 'sha1', 32: 'md5' };
const HEX = /^[0-9a-f]+$/;
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Device names: host names or FQDNs (Defender lower-cases them); ids: 40 hex characters. */
const DEVICE_NAME = /^[a-z0-9](?:[a-z0-9_.-]{0,253}[a-z0-9])?$/;
/** Account names: letters (any script), digits and . _ - $ ' (no separators, quotes other than ', or controls). */
const ACCOUNT_NAME = /^[\p{L}\p{M}\p{N}._$'-]{1,104}$/u;
const NETBIOS_DOMAIN = /^[\p{L}\p{N}._-]{1,64}$/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what a string argument may not hold
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/;

/** Validates and normalizes one value; never throws. */
export function checkArgument(type: ArgumentType, raw: unknown): ArgumentCheck {
  if (typeof raw !== 'string') return { ok: false, message: argumentProblem(type, 'no value') };
  const text = raw.trim();
  if (text === '') return { ok: false, message: argumentProblem(type, 'empty') };
  if (text.length > MAX_LENGTH[type]) return { ok: false, message: argumentProblem(type, `longer than ${MAX_LENGTH[type]} characters`) };
  if (type !== 'string' && /\s/.test(text)) return { ok: false, message: argumentProblem(type, 'it contains spaces') };
  switch (type) {
    case 'sha256':
    case 'sha1':
    case 'md5':
    case 'hash':
      return hash(type, text);
    case 'device':
      return device(text);
    case 'domain': {
      const host = domain(text.replace(/\.$/, ''));
      return host ? ok(type, host) : { ok: false, message: argumentProblem(type) };
    }
    case 'url':
      return url(text);
    case 'ip':
      return ip(text);
    case 'account':
      return account(text);
    case 'string':
      return CONTROL.test(text) ? { ok: false, message: argumentProblem(type, 'it contains control or invisible characters') } : ok(type, text);
  }
}

/**
 * The literals a validated value fills: `{{Name}}` and the type's parts (`{{Name_Domain}}`, …), every one a
 * kqlString. Throws when given a value that did not come from checkArgument (a programming error).
 */
export function argumentLiterals(name: string, argument: ArgumentValue): Record<string, string> {
  // Normalization is idempotent, so a validated value validates to itself; anything else never reaches the query.
  const again = checkArgument(argument.type, argument.value);
  if (!again.ok || again.argument.value !== argument.value) throw new TypeError(`argument ${name} is not a validated ${argument.type}`);
  const literals: Record<string, string> = { [name]: kqlString(argument.value) };
  for (const part of ARGUMENT_PARTS[argument.type]) literals[`${name}_${part}`] = kqlString(again.argument.parts[part] ?? '');
  return literals;
}

function ok(type: ArgumentType, value: string, parts: Record<string, string> = {}): ArgumentCheck {
  return { ok: true, argument: { type, value, parts } };
}

function hash(type: 'sha256' | 'sha1' | 'md5' | 'hash', text: string): ArgumentCheck {
  const lower = text.toLowerCase();
  if (!HEX.test(lower)) return { ok: false, message: argumentProblem(type, 'only 0-9 and a-f are hex digits') };
  const kind = HASH_KINDS[lower.length];
  if (!kind || (type !== 'hash' && kind !== type)) return { ok: false, message: argumentProblem(type, `${lower.length} hex characters`) };
  return ok(type, lower, type === 'hash' ? { Kind: kind } : {});
}

function device(text: string): ArgumentCheck {
  const lower = text.toLowerCase();
  if (lower.length === 40 && HEX.test(lower)) return ok('device', lower);
  if (!DEVICE_NAME.test(lower) || lower.includes('..')) return { ok: false, message: argumentProblem('device') };
  return ok('device', lower);
}

/** An IDNA host name as lower-case punycode, or undefined. Unicode look-alikes become their xn-- form. */
function domain(text: string): string | undefined {
  if (CONTROL.test(text) || /[\\/@:?#[\]%'"|]/.test(text)) return undefined;
  const ascii = domainToASCII(text.toLowerCase());
  if (ascii === '' || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1])) return undefined; // an IP address, not a domain
  return ascii;
}

/** `lookup url` matches the exact host: the value is the URL's host name (scheme optional, http(s) only). */
function url(text: string): ArgumentCheck {
  if (CONTROL.test(text)) return { ok: false, message: argumentProblem('url', 'it contains control or invisible characters') };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return { ok: false, message: argumentProblem('url') };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, message: argumentProblem('url', 'only http and https') };
  if (parsed.username || parsed.password) return { ok: false, message: argumentProblem('url', 'no user names in URLs') };
  const host = domain(parsed.hostname);
  return host ? ok('url', host) : { ok: false, message: argumentProblem('url', 'its host is not a domain name') };
}

function ip(text: string): ArgumentCheck {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(bare);
  if (version === 4) return ok('ip', bare);
  if (version !== 6 || bare.includes('%')) return { ok: false, message: argumentProblem('ip') };
  // The WHATWG URL parser writes IPv6 in its canonical compressed, lower-case form (RFC 5952).
  return ok('ip', new URL(`http://[${bare}]/`).hostname.slice(1, -1));
}

/** `alice@contoso.com` → name alice, domain contoso, upn; `CONTOSO\alice` → name, domain; `alice` → name only. */
function account(text: string): ArgumentCheck {
  const lower = text.toLowerCase();
  const upn = /^([^@\\]+)@([^@\\]+)$/.exec(lower);
  const down = /^([^@\\]+)\\([^@\\]+)$/.exec(lower);
  let name: string;
  let netbios = '';
  let upnText = '';
  if (upn) {
    const host = domain(upn[2]);
    if (!host) return { ok: false, message: argumentProblem('account', 'the part after @ is not a domain') };
    name = upn[1];
    netbios = host.split('.')[0];
    upnText = `${name}@${host}`;
  } else if (down) {
    if (!NETBIOS_DOMAIN.test(down[1])) return { ok: false, message: argumentProblem('account', 'the domain before \\ is not a domain name') };
    netbios = down[1];
    name = down[2];
  } else {
    name = lower;
  }
  if (!ACCOUNT_NAME.test(name)) return { ok: false, message: argumentProblem('account', 'the name has characters account names cannot have') };
  const value = upnText || (netbios ? `${netbios}\\${name}` : name);
  return ok('account', value, { Name: name, Domain: netbios, Upn: upnText });
}

/** Each declared argument's example value: what the load-time and first-run parser checks render with. */
export function exampleArguments(hunt: { arguments?: ReadonlyArray<{ name: string; type: ArgumentType }> }): Record<string, ArgumentValue> {
  const values: Record<string, ArgumentValue> = {};
  for (const argument of hunt.arguments ?? []) {
    const checked = checkArgument(argument.type, EXAMPLES[argument.type]);
    if (!checked.ok) throw new Error(`the example of ${argument.type} does not validate`);
    values[argument.name] = checked.argument;
  }
  return values;
}
