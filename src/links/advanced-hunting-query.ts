/**
 * The `query=` value of a Defender advanced hunting link: the KQL as UTF-16LE, gzip-compressed, then
 * base64url without padding.
 *
 * Microsoft documents the portal's "Share link" button ("Use shared queries in advanced hunting",
 * MicrosoftDocs/defender-docs defender-xdr/advanced-hunting-shared-queries.md) but not the format of
 * the link it makes. This is the format observed in shared links: the `query=` of public
 * security.microsoft.com/v2/advanced-hunting links decodes to gzip of UTF-16LE KQL, and open tools
 * that build such links say the same ("utf-16le > gzip > base64 > URL encoding"; one notes that
 * UTF-8 shows as garbage in the editor).
 */
import { gunzipBase64, gzip } from './gzip-text';

export function encodeAdvancedHuntingQuery(kql: string): string {
  return gzip(Buffer.from(kql, 'utf16le')).toString('base64url');
}

/** The KQL in a `query=` value, or undefined when the value is not one. */
export function decodeAdvancedHuntingQueryValue(value: string): string | undefined {
  const bytes = gunzipBase64(value);
  if (bytes === undefined || bytes.length % 2 !== 0) return undefined;
  return bytes.toString('utf16le');
}
