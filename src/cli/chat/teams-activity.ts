import { randomUUID } from 'node:crypto';

/** The person and place a local chat session pretends to be, shaped like Teams. */
export interface ChatIdentity {
  userId: string;
  userName: string;
  aadObjectId: string;
  tenantId: string;
  conversationId: string;
  teamId: string;
  botId: string;
  botName: string;
  /** The IANA time zone the Teams client reports (`localTimezone`, and the clientInfo entity's `timezone`). */
  timeZone?: string;
}

export function defaultIdentity(userName = process.env.USER || 'Local Responder'): ChatIdentity {
  return {
    userId: '29:local-user',
    userName,
    aadObjectId: '00000000-0000-0000-0000-000000000001',
    tenantId: '00000000-0000-0000-0000-0000000000aa',
    conversationId: '19:huntbot-local@thread.tacv2',
    teamId: '19:huntbot-team@thread.tacv2',
    botId: '28:huntbot',
    botName: 'HuntBot',
  };
}

function base(identity: ChatIdentity, serviceUrl: string) {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: identity.userId, name: identity.userName, aadObjectId: identity.aadObjectId },
    recipient: { id: identity.botId, name: identity.botName },
    conversation: {
      id: identity.conversationId,
      conversationType: 'channel',
      isGroup: true,
      tenantId: identity.tenantId,
    },
    channelData: {
      tenant: { id: identity.tenantId },
      team: { id: identity.teamId },
      channel: { id: identity.conversationId },
    },
    ...(identity.timeZone ? { localTimezone: identity.timeZone, entities: clientInfo(identity) } : {}),
  };
}

/** The clientInfo entity a Teams client adds to what its user sends (locale, platform, time zone). */
function clientInfo(identity: ChatIdentity): Array<Record<string, unknown>> {
  return identity.timeZone ? [{ type: 'clientInfo', locale: 'en-US', platform: 'Web', timezone: identity.timeZone }] : [];
}

/**
 * A channel message that @mentions the bot, as Teams sends it. Typed text that starts with the mention
 * (`@HuntBot hunt ...`, as in Teams' compose box) gets it as the mention entity Teams would make of it,
 * not as words; text without one gets it too, since a bot in a channel only hears messages that mention it.
 */
export function mentionMessage(identity: ChatIdentity, serviceUrl: string, text: string) {
  const mention = `<at>${identity.botName}</at>`;
  return {
    ...base(identity, serviceUrl),
    type: 'message',
    text: `${mention} ${withoutLeadingMention(text, identity.botName)}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: { id: identity.botId, name: identity.botName } }, ...clientInfo(identity)],
  };
}

function withoutLeadingMention(text: string, botName: string): string {
  const typed = `@${botName}`;
  const trimmed = text.trimStart();
  const mentioned = trimmed.slice(0, typed.length).toLowerCase() === typed.toLowerCase() && /^(\s|$)/.test(trimmed.slice(typed.length));
  return mentioned ? trimmed.slice(typed.length).trimStart() : text;
}

/** An Action.Submit press: a message with no text whose value holds the data and the inputs. */
export function submitMessage(identity: ChatIdentity, serviceUrl: string, replyToId: string, value: Record<string, unknown>) {
  return { ...base(identity, serviceUrl), type: 'message', text: '', replyToId, value };
}

/** An Action.Execute press: the `adaptiveCard/action` invoke. */
export function executeInvoke(
  identity: ChatIdentity,
  serviceUrl: string,
  replyToId: string,
  verb: string,
  data: Record<string, unknown>,
) {
  return {
    ...base(identity, serviceUrl),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

/** POSTs an activity to the bot; returns the HTTP status and the parsed body (invoke responses have one). */
export async function postActivity(botUrl: string, activity: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(botUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, body };
}
