/**
 * RE2 (Kusto's regex engine) accepts flag groups anywhere: `a((?i)bc)`, `(?i:x)`, `(?-i)`. JavaScript
 * (Node 20) only has whole-pattern flags, so case-insensitive stretches are rewritten to letter classes:
 * under (?i), `b` becomes `[bB]` and `[a-c]` becomes `[a-cA-C]`. Other flags in such groups are refused.
 */
export function expandInlineCaseFlags(pattern: string): string {
  if (!/\(\?[a-zA-Z-]*[i]/.test(pattern)) return pattern;
  let out = '';
  const stack: boolean[] = [false]; // case-insensitive per open group
  let k = 0;
  const ci = (): boolean => stack[stack.length - 1];
  while (k < pattern.length) {
    const c = pattern[k];
    if (c === '\\') {
      out += pattern.slice(k, k + 2);
      k += 2;
      continue;
    }
    if (c === '[') {
      const end = classEnd(pattern, k);
      const body = pattern.slice(k, end + 1);
      out += ci() ? foldClass(body) : body;
      k = end + 1;
      continue;
    }
    if (c === '(') {
      const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(pattern.slice(k));
      if (flags && (flags[1] || flags[2] !== undefined)) {
        const on = flags[1];
        const off = flags[2] ?? '';
        if (/[^i]/.test(on + off)) throw new SyntaxError(`unsupported inline flags (?${on}${off ? `-${off}` : ''})`);
        const value = on.includes('i') ? true : off.includes('i') ? false : ci();
        if (flags[3] === ')') stack[stack.length - 1] = value; // (?i): the rest of this group
        else {
          stack.push(value); // (?i:...): a group of its own
          out += '(?:';
        }
        k += flags[0].length;
        continue;
      }
      stack.push(ci());
      out += c;
      k++;
      continue;
    }
    if (c === ')') {
      if (stack.length > 1) stack.pop();
      out += c;
      k++;
      continue;
    }
    out += ci() && c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    k++;
  }
  return out;
}

function classEnd(pattern: string, start: number): number {
  let k = start + 1;
  if (pattern[k] === '^') k++;
  if (pattern[k] === ']') k++;
  for (; k < pattern.length; k++) {
    if (pattern[k] === '\\') k++;
    else if (pattern[k] === ']') return k;
  }
  return pattern.length - 1;
}

/** A character class with the other case of each letter and letter range added. */
function foldClass(body: string): string {
  const inner = body.slice(1, -1);
  let extra = '';
  for (let k = 0; k < inner.length; k++) {
    const c = inner[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (inner[k + 1] === '-' && k + 2 < inner.length && inner[k + 2] !== ']') {
      const to = inner[k + 2];
      if (/[a-z]/.test(c) && /[a-z]/.test(to)) extra += `${c.toUpperCase()}-${to.toUpperCase()}`;
      else if (/[A-Z]/.test(c) && /[A-Z]/.test(to)) extra += `${c.toLowerCase()}-${to.toLowerCase()}`;
      k += 2;
      continue;
    }
    if (c.toLowerCase() !== c.toUpperCase()) extra += c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
  }
  return `[${inner}${extra}]`;
}
