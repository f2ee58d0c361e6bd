/**
 * The device a hunt is scoped to (`hunt ... on <device>`): a DeviceName (short or FQDN) or a DeviceId, as
 * the user wrote it. Checked here once; it reaches KQL only as a kqlString literal (see render.ts).
 */

/** Longest value accepted: a DNS name is at most 253 characters, a DeviceId 40. */
export const MAX_DEVICE_LENGTH = 255;

/** Code point ranges a reader cannot see or that reorder text: spaces, controls, format and filler characters. */
const UNSEEN: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x0020],
  [0x007f, 0x00a0],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x1680, 0x1680],
  [0x17b4, 0x17b5],
  [0x180e, 0x180e],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x206f],
  [0x3000, 0x3000],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
];

function hasUnseen(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (UNSEEN.some(([low, high]) => code >= low && code <= high)) return true;
  }
  return false;
}

const EXAMPLES = '`WS-0042`, `ws-0042.contoso.local` or a 40-character DeviceId';

export type DeviceCheck = { ok: true; device: string } | { ok: false; message: string };

/** A device name or DeviceId the scope accepts, or why not (never echoing the value's invisible parts). */
export function checkDevice(value: string): DeviceCheck {
  if (typeof value !== 'string' || value === '') return { ok: false, message: `\`on\` needs a device name or DeviceId, e.g. ${EXAMPLES}.` };
  if (value.length > MAX_DEVICE_LENGTH) {
    return { ok: false, message: `That device name is ${value.length} characters long; a device name or DeviceId has at most ${MAX_DEVICE_LENGTH}. E.g. ${EXAMPLES}.` };
  }
  if (hasUnseen(value)) {
    return { ok: false, message: `A device name or DeviceId is one word without spaces, control or invisible characters, e.g. ${EXAMPLES}.` };
  }
  return { ok: true, device: value };
}
