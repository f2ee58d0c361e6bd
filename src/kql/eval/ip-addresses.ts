/** IPv4 and IPv6 addresses and prefixes as Kusto's ipv4_* / ipv6_* functions read them. */

/** An IPv4 address (optionally `a.b.c.d/prefix`) as a 32-bit number and prefix length, or null. */
export function parseIpv4(text: string): { value: number; prefix: number } | null {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return null;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return null;
  return { value: ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3], prefix };
}

export function maskIpv4(value: number, prefix: number): number {
  if (prefix <= 0) return 0;
  return (value & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
}

/** -1, 0 or 1 comparing two IPv4 values on their first `prefix` bits. */
export function compareIpv4(a: number, b: number, prefix: number): number {
  const x = maskIpv4(a, prefix);
  const y = maskIpv4(b, prefix);
  return x < y ? -1 : x > y ? 1 : 0;
}

const PRIVATE_V4: Array<[number, number]> = [
  [parseIpv4('10.0.0.0')!.value, 8],
  [parseIpv4('172.16.0.0')!.value, 12],
  [parseIpv4('192.168.0.0')!.value, 16],
];

/** RFC 1918 private ranges (the ipv4_is_private page lists exactly these three). */
export function isPrivateIpv4(value: number, prefix: number): boolean {
  return PRIVATE_V4.some(([net, bits]) => prefix >= bits && maskIpv4(value, bits) === net);
}

/** An IPv6 (or IPv4, mapped to ::ffff:a.b.c.d) address with an optional /prefix as a 128-bit BigInt. */
export function parseIpv6(text: string): { value: bigint; prefix: number } | null {
  const t = text.trim();
  const slash = t.indexOf('/');
  const address = slash >= 0 ? t.slice(0, slash) : t;
  const prefixText = slash >= 0 ? t.slice(slash + 1) : null;
  const v4 = parseIpv4(address);
  if (v4) {
    const prefix = prefixText === null ? 128 : Number(prefixText) + 96;
    if (!Number.isInteger(prefix) || prefix > 128) return null;
    return { value: (0xffffn << 32n) | BigInt(v4.value), prefix };
  }
  const prefix = prefixText === null ? 128 : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return null;
  let head = address;
  let tailV4: number | null = null;
  const lastColon = address.lastIndexOf(':');
  if (address.slice(lastColon + 1).includes('.')) {
    const embedded = parseIpv4(address.slice(lastColon + 1));
    if (!embedded) return null;
    tailV4 = embedded.value;
    head = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const all = [...left, ...Array.from({ length: halves.length === 2 ? missing : 0 }, () => '0'), ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  let value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tailV4 !== null) value = (value & ~0xffffffffn) | BigInt(tailV4);
  return { value, prefix };
}

export function compareIpv6(a: bigint, b: bigint, prefix: number): number {
  const shift = BigInt(128 - prefix);
  const x = a >> shift;
  const y = b >> shift;
  return x < y ? -1 : x > y ? 1 : 0;
}
