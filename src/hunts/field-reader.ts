import { shownText } from './shown-text';

/** A file that is not a hunt at all has many keys; a few name the mistake. */
const MAX_UNKNOWN_KEYS_SHOWN = 5;

/**
 * Reads typed fields out of a parsed YAML mapping and collects one readable problem per bad field
 * ("field 'tactics' must be a list of strings"), so a hunt author sees every mistake in one pass.
 */
export class FieldReader {
  readonly problems: string[] = [];

  constructor(
    private readonly mapping: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  static isMapping(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  has(field: string): boolean {
    return this.mapping[field] !== undefined && this.mapping[field] !== null;
  }

  raw(field: string): unknown {
    return this.mapping[field];
  }

  /** The field's name as problems show it; a value from the file is never shown (it may not be a hunt at all). */
  fieldName(field: string): string {
    return shownText(`${this.prefix}${field}`, 80);
  }

  problem(field: string, message: string): void {
    this.problems.push(`field '${this.fieldName(field)}' ${message}`);
  }

  /** A non-empty string (trimmed for the check only); optional fields give `fallback` when absent. */
  string(field: string, options: { pattern?: RegExp; patternHint?: string; fallback?: string } = {}): string {
    const value = this.mapping[field];
    if (value === undefined || value === null) {
      if (options.fallback !== undefined) return options.fallback;
      this.problem(field, 'is required');
      return '';
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.problem(field, 'must be a non-empty string');
      return '';
    }
    if (options.pattern && !options.pattern.test(value)) {
      this.problem(field, `must be ${options.patternHint ?? `like ${options.pattern}`}`);
    }
    return value;
  }

  optionalString(field: string, options: { pattern?: RegExp; patternHint?: string } = {}): string | undefined {
    return this.has(field) ? this.string(field, options) : undefined;
  }

  /** A list of non-empty strings; a single string is not accepted (Sentinel wants lists here). */
  stringList(field: string, options: { required?: boolean; pattern?: RegExp; patternHint?: string } = {}): string[] {
    const value = this.mapping[field];
    if (value === undefined || value === null) {
      if (options.required) this.problem(field, 'is required');
      return [];
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
      this.problem(field, 'must be a list of non-empty strings');
      return [];
    }
    if (options.required && value.length === 0) this.problem(field, 'must not be empty');
    const list = value as string[];
    for (const item of list) {
      if (options.pattern && !options.pattern.test(item)) {
        this.problem(field, `entries must be ${options.patternHint ?? `like ${options.pattern}`}`);
        break;
      }
    }
    return list;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.mapping[field];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(field, 'must be true or false');
      return fallback;
    }
    return value;
  }

  /** Reports every key outside `allowed`; catches typos such as `tactic:` that would otherwise be ignored. */
  rejectUnknownKeys(allowed: readonly string[]): void {
    const unknown = Object.keys(this.mapping).filter((key) => !allowed.includes(key));
    for (const key of unknown.slice(0, MAX_UNKNOWN_KEYS_SHOWN)) this.problems.push(`unknown field '${this.fieldName(key)}'`);
    if (unknown.length > MAX_UNKNOWN_KEYS_SHOWN) this.problems.push(`and ${unknown.length - MAX_UNKNOWN_KEYS_SHOWN} more unknown fields`);
  }
}
