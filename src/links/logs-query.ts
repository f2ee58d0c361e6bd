/**
 * The `q` path segment of an Azure portal Logs share link: the KQL as UTF-8, gzip-compressed,
 * standard base64, then URL-encoded twice.
 *
 * Sources: Microsoft's own "Run the query" buttons in the Microsoft Learn KQL exercises
 * (MicrosoftDocs, Azure Monitor tab) link to LogsBlade.AnalyticsShareLinkToQuery/q/ with a
 * twice-encoded value (`%252F`, `%253D`) that decodes to gzip UTF-8 KQL; Microsoft's BCTech sample
 * "How do I create a link (URL) that opens a KQL query in the Azure Application Insights portal?"
 * (microsoft/BCTech samples/AppInsights/HTML/README.md) describes the same "zip it, and Base64
 * encode it". Older hand-built links encode only once; the decoder accepts both.
 */
import { gunzipBase64, gzip } from './gzip-text';

export function encodeLogsQuery(kql: string): string {
  const base64 = gzip(Buffer.from(kql, 'utf8')).toString('base64');
  return encodeURIComponent(encodeURIComponent(base64));
}

/** The KQL in a `q` segment, or undefined when the segment is not one. */
export function decodeLogsQuery(segment: string): string | undefined {
  let base64 = segment;
  // Base64 never contains '%', so keep decoding until the URL-encoding layers are gone.
  for (let layer = 0; layer < 3 && base64.includes('%'); layer++) {
    try {
      base64 = decodeURIComponent(base64);
    } catch {
      return undefined;
    }
  }
  return gunzipBase64(base64)?.toString('utf8');
}
