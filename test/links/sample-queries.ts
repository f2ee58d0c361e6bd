/** KQL that exercises every character class a link has to survive. */
import { createHash } from 'node:crypto';

export const QUOTED_UNICODE_KQL = [
  'DeviceTvmSoftwareInventory',
  "| where SoftwareVendor in~ ('NCH Software', \"DWSNET OÜ\")",
  '| where SoftwareName has_any ("zoom", "anydesk") // comment with ünïcödé, 中文 and 🛡️',
  '| extend Path = @"C:\\Program Files\\NCH Software\\", Odd = "50% & a+b=c / d?e#f"',
  '\t| project DeviceId, DeviceName, SoftwareName\r\n| take 100',
].join('\n');

/** A hunt-sized query of about 5 KB: many distinct lines, so it compresses only moderately. */
export function fiveKilobyteKql(): string {
  const lines = ['let window_start = datetime(2024-05-01T00:00:00Z);', 'let window_end = datetime(2024-05-08T00:00:00Z);'];
  for (let i = 0; lines.join('\n').length < 5 * 1024; i++) {
    lines.push(`| where not(InitiatingProcessFileName =~ "tool_${i}_${(i * 7919) % 1000}.exe" and FolderPath startswith @"C:\\Vendor ${i}\\") // 'NCH Software' DWSNET OÜ #${i}`);
  }
  return ['DeviceProcessEvents', '| where Timestamp between (window_start .. window_end)', ...lines].join('\n');
}

/** Text that barely compresses (hex of a hash chain), so its link cannot fit a card button. */
export function incompressibleKql(length: number): string {
  let text = 'print x = "';
  let block = 'seed';
  while (text.length < length) {
    block = createHash('sha256').update(block).digest('hex');
    text += block;
  }
  return `${text}"`;
}
