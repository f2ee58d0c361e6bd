/**
 * Finds URLs in the manifest that still point at a documentation domain (RFC 2606: example.com,
 * example.net, example.org, *.example). Teams shows the developer's website, privacy and terms links
 * to everyone who installs the app, so a package with such links is only fit for a test.
 */

const RESERVED_HOST = /(^|\.)(example\.(com|net|org)|example)$/i;

/** Each placeholder URL as `<json path> <url>`, e.g. `developer.privacyUrl https://example.com/privacy`. */
export function placeholderUrls(node: unknown, path = ''): string[] {
  if (typeof node === 'string') return isPlaceholderUrl(node) ? [`${path} ${node}`] : [];
  if (Array.isArray(node)) return node.flatMap((item, i) => placeholderUrls(item, `${path}[${i}]`));
  if (typeof node === 'object' && node !== null) {
    return Object.entries(node).flatMap(([key, value]) => placeholderUrls(value, path ? `${path}.${key}` : key));
  }
  return [];
}

function isPlaceholderUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return false;
  return RESERVED_HOST.test(new URL(text).hostname);
}
