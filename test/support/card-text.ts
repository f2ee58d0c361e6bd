/** All text a card shows, for "the card says X" assertions. */
export function cardText(card: unknown): string {
  const texts: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.text === 'string') texts.push(record.text);
      if (typeof record.title === 'string') texts.push(record.title);
      if (typeof record.value === 'string') texts.push(record.value);
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return texts.join('\n');
}
