import {
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult, type Claim } from 'botframework-connector';
import { errorMessage } from '../util/error-message';

const PUBLIC_CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';
const US_GOV_CHANNEL_SERVICE = 'https://botframework.azure.us';
const US_GOV_CHANNEL_TOKEN_ISSUER = 'https://api.botframework.us';

/**
 * Bot Framework authentication for a Teams-only bot: only Bot Framework channel tokens are accepted (the SDK
 * would also accept Emulator/AAD tokens minted for the bot's own app id, from any tenant, without checking
 * serviceurl), and every validation failure is a 401 (the SDK lets jsonwebtoken's errors through as 500).
 */
export class ChannelOnlyBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(options: ConfigurationBotFrameworkAuthenticationOptions) {
    const channelIssuer =
      options.ToBotFromChannelTokenIssuer ||
      (options.ChannelService === US_GOV_CHANNEL_SERVICE ? US_GOV_CHANNEL_TOKEN_ISSUER : PUBLIC_CHANNEL_TOKEN_ISSUER);
    super(options, undefined, {
      requiredEndorsements: [],
      validateClaims: async (claims: Claim[]) => {
        if (claims.find((claim) => claim.type === 'iss')?.value !== channelIssuer) {
          throw new AuthenticationError('Unauthorized. Only Bot Framework channel tokens are accepted.', StatusCodes.UNAUTHORIZED);
        }
      },
    });
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError(`Unauthorized. ${errorMessage(error)}`, StatusCodes.UNAUTHORIZED);
    }
  }
}
