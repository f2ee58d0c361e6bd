import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * The credential could not produce a token (no managed identity, not logged in, wrong tenant...).
 * Raised by guardCredential so callers can tell "we never reached the service" from a service error,
 * whichever policy or SDK layer the credential was called from.
 */
export class TokenAcquisitionError extends Error {
  constructor(
    readonly scopes: string[],
    readonly causeName: string,
    causeMessage: string,
    options?: ErrorOptions,
  ) {
    super(`Could not get an Entra ID token for ${scopes.join(' ')}: ${firstLine(causeMessage)}`, options);
    this.name = 'TokenAcquisitionError';
  }
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Advice a responder or operator can act on, appended to user-facing messages. */
export const TOKEN_ADVICE =
  'Check that the bot identity exists and is reachable: in Azure set AZURE_CLIENT_ID to the user-assigned managed identity; locally run `az login`.';

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Wraps a credential so a failure to get a token surfaces as TokenAcquisitionError (an abort stays an
 * abort). The wrapped credential adds no caching: the SDK's token cycler, or the credential itself,
 * caches tokens.
 */
export function guardCredential(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const list = Array.isArray(scopes) ? scopes : [scopes];
      let token: AccessToken | null;
      try {
        token = await credential.getToken(scopes, options);
      } catch (error) {
        if (isAbort(error) || error instanceof TokenAcquisitionError) throw error;
        const err = error instanceof Error ? error : new Error(String(error));
        throw new TokenAcquisitionError(list, err.name, err.message, { cause: error });
      }
      // A null token would make the pipeline send the request unauthenticated; fail here instead.
      if (!token) throw new TokenAcquisitionError(list, 'NoToken', 'the credential returned no token');
      return token;
    },
  };
}
