/**
 * The longest link a card button may carry.
 *
 * RFC 9110 §4.1 recommends that senders and recipients support URIs of at least 8000 octets; past
 * that, support is ad hoc. Teams renders an Action.OpenUrl button whatever its URL length, so an
 * over-long link would only fail when clicked. Returning undefined lets the card omit the button.
 *
 * Teams documents a lower, 2048-character ceiling for its own deep links on Windows
 * (INTERNET_MAX_URL_LENGTH in ShellExecuteEx; Teams "Deep link to an application" page). Whether
 * that also caps plain https links opened from a card is not documented, so it is not applied here.
 */
export const MAX_LINK_LENGTH = 8000;

/** The link itself, or undefined when it is too long for a card button. */
export function withinLinkLimit(url: string): string | undefined {
  return url.length <= MAX_LINK_LENGTH ? url : undefined;
}
