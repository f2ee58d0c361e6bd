const URL_PATTERN =
  /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

/**
 * parse_url(): the parts of an absolute URL as a property bag (Scheme, Host, Port, Path, Username,
 * Password, Query Parameters, Fragment), all strings; Path keeps its leading slash. Text that is
 * not an absolute URL gives an empty bag.
 */
export function parseUrl(text: string): Record<string, unknown> {
  const m = URL_PATTERN.exec(text.trim());
  if (!m) return {};
  const [, scheme, user = '', password = '', host, port = '', path, query, fragment = ''] = m;
  const parameters: Record<string, string> = {};
  if (query) {
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      parameters[eq < 0 ? pair : pair.slice(0, eq)] = eq < 0 ? '' : pair.slice(eq + 1);
    }
  }
  return {
    Scheme: scheme,
    Host: host,
    Port: port,
    Path: path,
    Username: user,
    Password: password,
    'Query Parameters': parameters,
    Fragment: fragment,
  };
}
