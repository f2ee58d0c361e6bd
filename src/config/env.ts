import { GUID_PATTERN } from '../domain/cloud';

/** A read-only view of environment variables; injected so configuration is testable. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Trimmed value, or undefined when unset or blank. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function envList(env: Env, name: string): string[] {
  const value = envValue(env, name);
  if (!value) return [];
  return value
    .split(/[,;\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}


export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}
