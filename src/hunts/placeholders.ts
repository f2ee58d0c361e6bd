/**
 * `{{Name}}` placeholders in hunt query text. Substitution is a single pass over the original text,
 * so a substituted literal that itself contains `{{...}}` is never expanded again.
 */

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isParameterName(name: string): boolean {
  return PARAMETER_NAME.test(name);
}

/** Names used in the text, in first-use order (whitespace inside the braces is ignored). */
export function placeholdersIn(query: string): string[] {
  const names: string[] = [];
  for (const match of query.matchAll(PLACEHOLDER)) {
    const name = match[1].trim();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Replaces every placeholder with the KQL text given for its name. Throws when a placeholder has no
 * value, so a typo in a hunt file fails loudly instead of reaching the query service.
 */
export function substitutePlaceholders(query: string, literals: Readonly<Record<string, string>>): string {
  return query.replace(PLACEHOLDER, (_whole, rawName: string) => {
    const name = rawName.trim();
    if (!Object.prototype.hasOwnProperty.call(literals, name)) {
      throw new Error(`unknown placeholder {{${name}}}`);
    }
    return literals[name];
  });
}
