/** "1 device", "2 devices", "0 devices": a count with its noun in the right number (never "device(s)"). */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
