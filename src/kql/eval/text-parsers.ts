/** One CSV record (RFC 4180 quoting: "a""b" is a"b). parse_csv reads only the first record. */
export function parseCsvRecord(text: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (quoted) {
      if (c === '"') {
        if (text[k + 1] === '"') {
          field += '"';
          k++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  out.push(field);
  return out;
}

/**
 * Splits a Windows command line as CommandLineToArgvW does (what parse_command_line(x, "windows")
 * documents): whitespace separates arguments, quotes group, 2n backslashes before a quote give n
 * backslashes, 2n+1 give n and a literal quote, other backslashes are literal.
 */
export function parseCommandLine(text: string): string[] {
  const args: string[] = [];
  let k = 0;
  const n = text.length;
  while (k < n) {
    while (k < n && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k >= n) break;
    let arg = '';
    let quoted = false;
    while (k < n && (quoted || (text[k] !== ' ' && text[k] !== '\t'))) {
      if (text[k] === '\\') {
        let slashes = 0;
        while (k < n && text[k] === '\\') {
          slashes++;
          k++;
        }
        if (text[k] === '"') {
          arg += '\\'.repeat(Math.floor(slashes / 2));
          if (slashes % 2 === 1) {
            arg += '"';
            k++;
          }
        } else arg += '\\'.repeat(slashes);
        continue;
      }
      if (text[k] === '"') {
        if (quoted && text[k + 1] === '"') {
          arg += '"';
          k += 2;
          continue;
        }
        quoted = !quoted;
        k++;
        continue;
      }
      arg += text[k++];
    }
    args.push(arg);
  }
  return args;
}
