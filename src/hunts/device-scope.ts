/**
 * The device a hunt is scoped to (`hunt ... on <device>`): a DeviceName (short or FQDN) or a DeviceId, as
 * the user wrote it. Checked here once; it reaches KQL only as a kqlString literal (see render.ts).
 */

/** Longest value accepted: a DNS name is at most 253 characters, a DeviceId 40. */
export const MAX_DEVICE_LENGTH = 255;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSEEN = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/u;

const EXAMPLES = '`WS-0042`, `ws-0042.contoso.local` or a 40-character DeviceId';

export type DeviceCheck = { ok: true; device: string } | { ok: false; message: string };

/** A device name or DeviceId the scope accepts, or why not (never echoing the value's invisible parts). */
export function checkDevice(value: string): DeviceCheck {
  if (typeof value !== 'string' || value === '') return { ok: false, message: `\`on\` needs a device name or DeviceId, e.g. ${EXAMPLES}.` };
  if (value.length > MAX_DEVICE_LENGTH) {
    return { ok: false, message: `That device name is ${value.length} characters long; a device name or DeviceId has at most ${MAX_DEVICE_LENGTH}. E.g. ${EXAMPLES}.` };
  }
  if (UNSEEN.test(value)) {
    return { ok: false, message: `A device name or DeviceId is one word without spaces, control or invisible characters, e.g. ${EXAMPLES}.` };
  }
  return { ok: true, device: value };
}
