import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A TokenCredential for tests: records every scope it is asked for and mints a token that names the
 * scope (`fake-token:<scope>`), so a fake server can check the audience the way Azure does.
 */
export class FakeTokenCredential implements TokenCredential {
  readonly requestedScopes: string[][] = [];
  private failure: Error | undefined;

  /** Makes every later getToken fail as a credential without an identity would. */
  failWith(error: Error): this {
    this.failure = error;
    return this;
  }

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> {
    const list = Array.isArray(scopes) ? [...scopes] : [scopes];
    this.requestedScopes.push(list);
    if (this.failure) throw this.failure;
    return { token: fakeTokenFor(list[0] ?? ''), expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
  }
}

export function fakeTokenFor(scope: string): string {
  return `fake-token:${scope}`;
}

/** The scope a fake token was minted for, or undefined for anything else. */
export function scopeOfFakeToken(token: string): string | undefined {
  return token.startsWith('fake-token:') ? token.slice('fake-token:'.length) : undefined;
}
