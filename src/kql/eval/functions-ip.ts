import { derived } from './compiled';
import { type FunctionImpl, num, str } from './function-call';
import { compareIpv4, compareIpv6, isPrivateIpv4, maskIpv4, parseIpv4, parseIpv6 } from './ip-addresses';

/** ipv4_compare / ipv6_compare: the prefix is the smaller of the addresses' own and the argument. */
function comparer(v6: boolean): FunctionImpl {
  return ({ args }) => {
    const [a, b] = args.map(str);
    const prefixArg = args[2] ? num(args[2]) : null;
    return derived('int', args, (i) => {
      if (v6) {
        const x = parseIpv6(a(i));
        const y = parseIpv6(b(i));
        if (!x || !y) return null;
        const p = prefixArg ? prefixArg(i) : 128;
        if (p === null) return null;
        return compareIpv6(x.value, y.value, Math.min(x.prefix, y.prefix, p));
      }
      const x = parseIpv4(a(i));
      const y = parseIpv4(b(i));
      if (!x || !y) return null;
      const p = prefixArg ? prefixArg(i) : 32;
      if (p === null) return null;
      return compareIpv4(x.value, y.value, Math.min(x.prefix, y.prefix, p));
    });
  };
}

/** IP address functions (ipv4_*, parse_ipv4, ipv6_*), and GeoIP, which has no data locally. */
export const IP_FUNCTIONS: Record<string, FunctionImpl> = {
  parse_ipv4: ({ args }) => {
    const s = str(args[0]);
    return derived('long', args, (i) => {
      const ip = parseIpv4(s(i));
      return ip ? maskIpv4(ip.value, ip.prefix) : null;
    });
  },
  parse_ipv4_mask: ({ args }) => {
    const s = str(args[0]);
    const p = num(args[1]);
    return derived('long', args, (i) => {
      const ip = parseIpv4(s(i));
      const prefix = p(i);
      return ip && prefix !== null && prefix >= 0 && prefix <= 32 ? maskIpv4(ip.value, Math.min(ip.prefix, prefix)) : null;
    });
  },
  ipv4_is_private: ({ args }) => {
    const s = str(args[0]);
    return derived('bool', args, (i) => {
      const ip = parseIpv4(s(i));
      return ip ? isPrivateIpv4(ip.value, ip.prefix) : null;
    });
  },
  ipv4_is_in_range: ({ args }) => {
    const [a, r] = args.map(str);
    return derived('bool', args, (i) => {
      const ip = parseIpv4(a(i));
      const range = parseIpv4(r(i));
      if (!ip || !range) return null;
      return compareIpv4(ip.value, range.value, range.prefix) === 0;
    });
  },
  ipv4_is_in_any_range: ({ args }) => {
    const a = str(args[0]);
    return derived('bool', args, (i) => {
      const ip = parseIpv4(a(i));
      if (!ip) return null;
      const ranges = args.slice(1).flatMap((r) => {
        const v = r.eval(i);
        return Array.isArray(v) ? v.map(String) : [String(v ?? '')];
      });
      return ranges.some((text) => {
        const range = parseIpv4(text);
        return range !== null && compareIpv4(ip.value, range.value, range.prefix) === 0;
      });
    });
  },
  ipv4_is_match: ({ args }) => {
    const [a, b] = args.map(str);
    const p = args[2] ? num(args[2]) : () => 32;
    return derived('bool', args, (i) => {
      const x = parseIpv4(a(i));
      const y = parseIpv4(b(i));
      const prefix = p(i);
      if (!x || !y || prefix === null) return null;
      return compareIpv4(x.value, y.value, Math.min(x.prefix, y.prefix, prefix)) === 0;
    });
  },
  ipv4_compare: comparer(false),
  ipv6_compare: comparer(true),
  ipv6_is_match: ({ args }) => {
    const [a, b] = args.map(str);
    const p = args[2] ? num(args[2]) : () => 128;
    return derived('bool', args, (i) => {
      const x = parseIpv6(a(i));
      const y = parseIpv6(b(i));
      const prefix = p(i);
      if (!x || !y || prefix === null) return null;
      return compareIpv6(x.value, y.value, Math.min(x.prefix, y.prefix, prefix)) === 0;
    });
  },
  // Locally there is no GeoIP database: the value is null (documented in src/kql/README.md).
  geo_info_from_ip_address: ({ args }) => derived('dynamic', args, () => null),
};
