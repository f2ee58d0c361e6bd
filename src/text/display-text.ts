/**
 * Characters that change how text around them looks without being seen: bidi overrides, embeddings
 * and isolates (a name that reads "exe.txt" but is "txt.exe"), zero-width characters (two names
 * that look the same but differ), and C0/C1 controls including NUL (truncate logs and cells).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Untrusted text (display names, device names, justifications) as it may be shown or stored: the
 * invisible characters above removed, tabs and line breaks kept. Zero-width joiners go too, at
 * the cost of some emoji sequences and scripts that use them, because names are what responders
 * compare by eye.
 */
export function cleanDisplayText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** A one-line name: invisible characters removed and any line break or tab turned into a space. */
export function cleanName(text: string): string {
  return cleanDisplayText(text).replace(/[\t\r\n\u2028\u2029]+/g, ' ').trim();
}
