/**
 * Links from a hunt hit or a result card into the portals: a device's Defender page, Defender
 * advanced hunting and Sentinel Logs with the query filled in. Every builder returns undefined
 * when it cannot make a link worth a button (unknown portal, bad input, too long), so a card can
 * simply omit the button. The decoders read the query back out of a link, for tests and tooling.
 */
export type { PortalCloud, PortalLinkOptions } from './portal-link-options';
export { MAX_LINK_LENGTH } from './link-length';
export { advancedHuntingLink, decodeAdvancedHuntingQuery, deviceLink } from './defender-links';
export { decodeSentinelLogsQuery, sentinelLogsLink } from './sentinel-logs-link';
