import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { ConnectorClient, TokenCredentials } from 'botframework-connector';
import { ConnectorCallError, withLeanActivityCalls } from '../../src/bot/lean-activity-calls';

interface Received {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: unknown;
}

/**
 * One scripted answer: `raw` is sent as the body as it is; `cutOff` sends the status and half the body, then drops
 * the connection; `stall` sends the status and half the body and holds the connection open; `silent` never answers.
 */
interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
  cutOff?: boolean;
  stall?: boolean;
  silent?: boolean;
}

/** A connector endpoint that records each request and answers with the next scripted reply (then 200 with an id). */
async function connectorEndpoint(script: ScriptedAnswer[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body: text ? JSON.parse(text) : undefined });
      const next = script.shift() ?? { status: 200, body: { id: `activity-${received.length}` } };
      const payload = next.raw ?? JSON.stringify(next.body ?? { error: { code: 'Throttled', message: 'slow down' } });
      if (next.silent) return;
      if (next.stall) {
        res.writeHead(next.status, { 'content-type': 'application/json', 'content-length': String(payload.length), ...next.headers });
        res.write(payload.slice(0, payload.length >> 1));
        return;
      }
      if (next.cutOff) {
        res.writeHead(next.status, { 'content-type': 'application/json', 'content-length': String(payload.length), ...next.headers });
        res.write(payload.slice(0, payload.length >> 1), () => res.socket?.destroy());
        return;
      }
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, received, close };
}

const CONVERSATION = '19:abc@thread.tacv2;messageid=1700000000000';
/** A page request as TeamsInfo.getPagedMembers makes it (the SDK's typings mark both fields required; TeamsInfo may leave the token out). */
const pageOf = (continuationToken?: string) => ({ pageSize: 100, continuationToken }) as Parameters<ConnectorClient['conversations']['getConversationPagedMembers']>[1];
const message = { type: 'message', text: 'Hunting…', conversation: { id: CONVERSATION }, replyToId: '1700000000000' } as Partial<Activity>;

/** The SDK's connector client as the bot's factory builds it, with the SDK's own token credentials. */
const sdkClient = (serviceUrl: string) => new ConnectorClient(new TokenCredentials('token-for-the-connector'), { baseUri: serviceUrl });

describe('message posts and card updates go to the connector as plain signed HTTP', () => {
  it('posts a reply to /v3/conversations/{id}/activities/{replyToId}, ids encoded, signed by the client’s credentials, the activity as JSON', async () => {
    const endpoint = await connectorEndpoint();
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), `${endpoint.url}/amer`);
      const answer = await client.conversations.replyToActivity(CONVERSATION, '1700000000000', message);
      expect(answer.id).toBe('activity-1');
      expect(endpoint.received).toEqual([
        {
          method: 'POST',
          url: `/amer/v3/conversations/${encodeURIComponent(CONVERSATION)}/activities/1700000000000`,
          authorization: 'Bearer token-for-the-connector',
          contentType: 'application/json; charset=utf-8',
          body: message,
        },
      ]);
    } finally {
      await endpoint.close();
    }
  });

  it('sends a new message with POST to the conversation and updates a card with PUT to its activity', async () => {
    const endpoint = await connectorEndpoint();
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), `${endpoint.url}/`);
      expect((await client.conversations.sendToConversation(CONVERSATION, message)).id).toBe('activity-1');
      await client.conversations.updateActivity(CONVERSATION, 'activity-1', { ...message, id: 'activity-1' });
      expect(endpoint.received.map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST /v3/conversations/${encodeURIComponent(CONVERSATION)}/activities`,
        `PUT /v3/conversations/${encodeURIComponent(CONVERSATION)}/activities/activity-1`,
      ]);
    } finally {
      await endpoint.close();
    }
  });

  it('tries a throttled message again after the Retry-After the connector sent', async () => {
    const endpoint = await connectorEndpoint([{ status: 429, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': '0' } }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      expect((await client.conversations.sendToConversation(CONVERSATION, message)).id).toBe('activity-3');
      expect(endpoint.received).toHaveLength(3);
    } finally {
      await endpoint.close();
    }
  });

  it('gives up on a message at once, with the status and the connector’s code, when asked to wait over 30 s or refused for good', async () => {
    const endpoint = await connectorEndpoint([
      { status: 429, headers: { 'retry-after': '120' } },
      { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } },
    ]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      await expect(client.conversations.sendToConversation(CONVERSATION, message)).rejects.toMatchObject({ statusCode: 429, code: 'Throttled' });
      const refused = client.conversations.replyToActivity(CONVERSATION, '1', message);
      await expect(refused).rejects.toBeInstanceOf(ConnectorCallError);
      await expect(refused).rejects.toMatchObject({ statusCode: 403, code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' });
      expect(endpoint.received).toHaveLength(2);
    } finally {
      await endpoint.close();
    }
  });

  it('leaves a refused card update to the caller’s own retries (one request), with the Retry-After readable on the error', async () => {
    const endpoint = await connectorEndpoint([{ status: 503, headers: { 'retry-after': '7' } }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      const update = client.conversations.updateActivity(CONVERSATION, 'activity-1', message);
      await expect(update).rejects.toMatchObject({ statusCode: 503 });
      const error = (await update.catch((e: unknown) => e)) as ConnectorCallError;
      expect(error.response.headers.get('retry-after')).toBe('7');
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });

  it('posts a message once when the connector accepted it but the answer was cut off, and reports it sent with no id', async () => {
    const endpoint = await connectorEndpoint([{ status: 201, body: { id: 'activity-1' }, cutOff: true }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      await expect(client.conversations.sendToConversation(CONVERSATION, message)).resolves.toEqual({});
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });

  it('takes a refusal whose answer was cut off as the refusal it is (its status decides), not as a network failure to retry', async () => {
    const endpoint = await connectorEndpoint([{ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } }, cutOff: true }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      await expect(client.conversations.replyToActivity(CONVERSATION, '1', message)).rejects.toMatchObject({ statusCode: 403 });
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });

  it('counts a message and a card update as done when the connector accepts them with an answer that is not JSON, as the SDK did', async () => {
    const endpoint = await connectorEndpoint([
      { status: 200, headers: { 'content-type': 'text/html' }, raw: '<html>OK</html>' },
      { status: 200, headers: { 'content-type': 'text/plain' }, raw: 'OK' },
    ]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      await expect(client.conversations.sendToConversation(CONVERSATION, message)).resolves.toEqual({});
      await expect(client.conversations.updateActivity(CONVERSATION, 'activity-1', message)).resolves.toEqual({});
      expect(endpoint.received).toHaveLength(2);
    } finally {
      await endpoint.close();
    }
  });

  it('reports a refusal in the connector’s own words when its body is `{ "message" }` without the `error` wrapper (its 401 for a wrong app password)', async () => {
    const endpoint = await connectorEndpoint([{ status: 401, body: { message: 'Authorization has been denied for this request.' } }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      await expect(client.conversations.replyToActivity(CONVERSATION, '1', message)).rejects.toMatchObject({
        statusCode: 401,
        message: 'Authorization has been denied for this request.',
      });
    } finally {
      await endpoint.close();
    }
  });

  it('gives up on a message the connector holds without answering after its deadline, and does not send it again (it may still land)', async () => {
    const endpoint = await connectorEndpoint([{ status: 200, silent: true }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url, { answerDeadlineMs: 150 });
      await expect(client.conversations.sendToConversation(CONVERSATION, message)).rejects.toMatchObject({ code: 'ECONNECTOR_DEADLINE', message: expect.stringMatching(/did not answer within 0\.15 s/) });
      expect(endpoint.received).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });

  it('fails a call that cannot even be sent (a service URL that is not HTTP) at once, with nothing left to go off at its deadline', async () => {
    const serviceUrl = 'ftp://127.0.0.1/amer/';
    const client = withLeanActivityCalls(sdkClient(serviceUrl), serviceUrl, { answerDeadlineMs: 20 });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(client.conversations.updateActivity(CONVERSATION, 'activity-1', message)).rejects.toMatchObject({ code: 'ERR_INVALID_PROTOCOL' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('gives up on a member read the connector holds without answering after its deadline, saying only that Teams did not answer (a read lands nothing)', async () => {
    const endpoint = await connectorEndpoint([{ status: 200, silent: true }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url, { answerDeadlineMs: 150 });
      await expect(client.conversations.getConversationPagedMembers(CONVERSATION, pageOf())).rejects.toMatchObject({ code: 'ECONNECTOR_DEADLINE', message: 'Teams did not answer within 0.15 s' });
    } finally {
      await endpoint.close();
    }
  });

  it('counts a card update whose status arrived but whose body stalls as accepted once the deadline passes', async () => {
    const endpoint = await connectorEndpoint([{ status: 200, stall: true, body: { id: 'activity-1' } }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url, { answerDeadlineMs: 150 });
      await expect(client.conversations.updateActivity(CONVERSATION, 'activity-1', message)).resolves.toEqual({});
    } finally {
      await endpoint.close();
    }
  });

  it('keeps the connector’s whole answer off a logged error: status and code are fields, the body only on request', async () => {
    const endpoint = await connectorEndpoint([{ status: 400, body: { error: { code: 'BadArgument', message: 'Unknown attachment type' }, detail: 'x'.repeat(5_000) } }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      const error = (await client.conversations.sendToConversation(CONVERSATION, message).catch((e: unknown) => e)) as ConnectorCallError;
      expect(error).toMatchObject({ statusCode: 400, code: 'BadArgument', message: 'Unknown attachment type' });
      expect(Object.keys(error)).not.toContain('response');
      expect(JSON.stringify(error).length).toBeLessThan(500);
      expect(error.response.bodyAsText).toContain('x'.repeat(5_000));
    } finally {
      await endpoint.close();
    }
  });

  it('reads a conversation’s members page by page (TeamsInfo’s call), page size and continuation token encoded, signed, without a body', async () => {
    const endpoint = await connectorEndpoint([
      { status: 200, body: { members: [{ id: '29:alice' }], continuationToken: 'page+2/=' } },
      { status: 200, body: { members: [{ id: '29:bob' }] } },
    ]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      const first = await client.conversations.getConversationPagedMembers(CONVERSATION, pageOf());
      const second = await client.conversations.getConversationPagedMembers(CONVERSATION, pageOf(first.continuationToken));
      expect([first.members, second.members]).toEqual([[{ id: '29:alice' }], [{ id: '29:bob' }]]);
      const path = `/v3/conversations/${encodeURIComponent(CONVERSATION)}/pagedmembers`;
      expect(endpoint.received.map((r) => [r.method, r.url, r.authorization, r.body])).toEqual([
        ['GET', `${path}?pageSize=100`, 'Bearer token-for-the-connector', undefined],
        ['GET', `${path}?pageSize=100&continuationToken=page%2B2%2F%3D`, 'Bearer token-for-the-connector', undefined],
      ]);
    } finally {
      await endpoint.close();
    }
  });

  it('takes a member page that was cut off or is not JSON as a failed read and reads it again, never as no members', async () => {
    const page = { members: [{ id: '29:alice' }, { id: '29:bob' }] };
    const endpoint = await connectorEndpoint([{ status: 200, cutOff: true, body: page }, { status: 200, raw: '<html>gateway</html>' }, { status: 200, body: page }]);
    try {
      const client = withLeanActivityCalls(sdkClient(endpoint.url), endpoint.url);
      expect((await client.conversations.getConversationPagedMembers(CONVERSATION, pageOf())).members).toEqual(page.members);
      expect(endpoint.received).toHaveLength(3);
    } finally {
      await endpoint.close();
    }
  });

  it('keeps the SDK’s own calls when a proxy is configured, which only the SDK’s client honours', () => {
    const plain = sdkClient('https://smba.trafficmanager.net/amer/');
    const sdkReply = plain.conversations.replyToActivity;
    const client = withLeanActivityCalls(plain, 'https://smba.trafficmanager.net/amer/', { env: { HTTPS_PROXY: 'http://proxy.contoso.local:8080' } });
    expect(client.conversations.replyToActivity).toBe(sdkReply);
  });
});
