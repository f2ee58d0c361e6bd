/** Longest command we accept; anything longer is refused before it is tokenised. */
export const MAX_COMMAND_LENGTH = 500;

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", plusmn: '±', '#177': '±' };

/**
 * Turns the text of a Teams message into plain command text: Teams sends HTML (mentions as
 * <at>…</at>, <p>, &nbsp;), and a mention of the bot may remain if the SDK did not strip it.
 */
export function normalizeCommandText(raw: string): string {
  return raw
    .replace(/<at[^>]*>.*?<\/at>/gis, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39|plusmn|#177);/g, (_, name: string) => ENTITIES[name] ?? ' ')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
    .replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function tokenize(text: string): string[] {
  return text === '' ? [] : text.split(' ');
}
