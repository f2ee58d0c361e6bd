import type { Authorizer } from '../commands/command-registry';
import type { Permission, Requester } from '../domain/requester';
import type { Logger } from '../logging/logger';

export interface AuthorizationSettings {
  /** Entra tenant ids whose users may use the bot; empty = any. */
  allowedTenants: string[];
  /** Team ids (channelData.team.id) where hunts may run; empty = anywhere, including chats. */
  allowedTeams: string[];
  /** Object ids or UPNs of people who may tag and untag; empty = anyone allowed to hunt. */
  taggers: string[];
}

/**
 * Who may hunt and who may tag. Identity comes from the authenticated activity (from.aadObjectId,
 * conversation tenant, team), never from card data. Every refusal is logged for audit.
 */
export class AuthorizationPolicy implements Authorizer {
  private readonly tenants: Set<string>;
  private readonly teams: Set<string>;
  private readonly taggers: Set<string>;

  constructor(
    settings: AuthorizationSettings,
    private readonly logger: Logger,
  ) {
    this.tenants = new Set(settings.allowedTenants.map((t) => t.toLowerCase()));
    this.teams = new Set(settings.allowedTeams);
    this.taggers = new Set(settings.taggers.map((t) => t.toLowerCase()));
  }

  /** True when a tagger is named by UPN, so the bot must look the person's UPN up. */
  get needsUpn(): boolean {
    return [...this.taggers].some((t) => t.includes('@'));
  }

  check(requester: Requester, permission: Permission): { allowed: true } | { allowed: false; reason: string } {
    if (permission === 'anyone') return { allowed: true };
    const reason = this.refusal(requester, permission);
    if (!reason) return { allowed: true };
    this.logger.warn(
      {
        event: 'denied',
        permission,
        user: requester.aadObjectId || requester.id,
        tenant: requester.tenantId,
        team: requester.teamId ?? '',
        conversationId: requester.conversationId,
        reason,
      },
      'request refused by authorization policy',
    );
    return { allowed: false, reason };
  }

  private refusal(requester: Requester, permission: Permission): string | undefined {
    if (this.tenants.size > 0 && !this.tenants.has(requester.tenantId.toLowerCase())) {
      return 'your organisation (tenant) is not allowed to use this bot.';
    }
    if (this.teams.size > 0 && !(requester.teamId && this.teams.has(requester.teamId))) {
      return requester.teamId
        ? 'this team is not on the bot\'s list of allowed teams. Ask the SOC lead to add it (HUNT_ALLOWED_TEAMS).'
        : 'hunts run only in the channels of allowed teams, not in chats.';
    }
    if (permission === 'tag' && this.taggers.size > 0) {
      const ids = [requester.aadObjectId, requester.upn ?? ''].map((v) => v.toLowerCase()).filter((v) => v !== '');
      if (!ids.some((id) => this.taggers.has(id))) return 'only the configured taggers may tag or untag hits (HUNT_TAGGERS).';
    }
    return undefined;
  }
}
