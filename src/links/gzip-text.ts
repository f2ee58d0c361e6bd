/** Gzip and base64 for query text, shared by both portals' link formats. */
import { gunzipSync, gzipSync } from 'node:zlib';

// Both alphabets: the Azure portal writes standard base64, the Defender portal the URL-safe one.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Gzip at the highest level, because every byte saved is link length saved. */
export function gzip(bytes: Buffer): Buffer {
  return gzipSync(bytes, { level: 9 });
}

/** The bytes inside base64 gzip data, or undefined when the text is not that. */
export function gunzipBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  try {
    // Node's base64 decoder accepts the URL-safe alphabet too (Buffer documentation).
    return gunzipSync(Buffer.from(text, 'base64'));
  } catch {
    return undefined;
  }
}
