import { expandCard } from '../../src/cards/card-templates';
import { resultCard } from '../../src/cards/run-cards';
import { chatCommand } from '../../src/cli/chat-command';
import { renderCardText } from '../../src/cli/chat/card-text';
import type { ConnectorActivity } from '../../src/cli/chat/connector-server';
import { PendingHunts } from '../../src/cli/chat/pending-hunts';
import { defaultIdentity, mentionMessage } from '../../src/cli/chat/teams-activity';
import type { DeviceHit, HuntRun } from '../../src/domain/hunt-run';
import { finishedRun } from '../support/run-fixtures';
import { capturedIO } from '../support/captured-io';

function hit(deviceId: string, deviceName: string): DeviceHit {
  return { deviceId, deviceName, firstSeen: '2026-11-25T10:00:00Z', lastSeen: '2026-11-27T10:00:00Z', count: 1, reports: [1], signals: [], evidence: [] };
}

function run(hits: DeviceHit[]): HuntRun {
  return finishedRun({
    queries: [{ huntId: 'h', kind: 'filesig', kql: 'DeviceFileCertificateInfo', durationMs: 12, rowCount: 2 }],
    hits,
    totalEvents: 2,
  });
}

describe('huntbot chat renders cards', () => {
  it('names the device on each row\'s "Tag benign" and "Bookmark" actions, and not on the card\'s own actions', () => {
    const rendered = renderCardText(resultCard(run([hit('dev-a', 'fin-ws-001'), hit('dev-b', 'hr-lt-002')])));
    const tags = rendered.actions.filter((a) => a.title === 'Tag benign');
    expect(tags.map((a) => a.context)).toEqual(['fin-ws-001', 'hr-lt-002']);
    expect(rendered.actions.filter((a) => a.title === 'Bookmark').map((a) => a.context)).toEqual(['fin-ws-001', 'hr-lt-002']);
    const rowActions = ['Tag benign', 'Device page', 'Bookmark'];
    const cardActions = rendered.actions.filter((a) => !rowActions.includes(a.title));
    expect(cardActions.map((a) => a.title)).toContain('Show query');
    expect(cardActions.filter((a) => a.context !== undefined)).toEqual([]);
  });

  it('labels a prompt card\'s choice by its label, not by the input id', () => {
    const card = expandCard('choice', {
      question: 'Which tool?',
      label: 'Tool',
      hint: 'Pick one or type its name.',
      choices: [{ title: 'DesktopNow', value: 'desktopnow' }],
      defaultValue: '',
      promptFor: 'tool',
      promptUser: '29:a',
    });
    const rendered = renderCardText(card);
    expect(rendered.inputs.map((i) => i.label)).toEqual(['Tool']);
    expect(rendered.lines.join('\n')).not.toContain('promptChoice');
  });
});

describe('huntbot chat messages', () => {
  const identity = defaultIdentity('Alice');

  it('turns a typed leading "@HuntBot" into the mention entity Teams would send, not into words', () => {
    const message = mentionMessage(identity, 'http://127.0.0.1:9/', '@HuntBot hunt rmm desktopnow 5d');
    expect(message.text).toBe('<at>HuntBot</at> hunt rmm desktopnow 5d');
    expect(message.entities).toEqual([{ type: 'mention', text: '<at>HuntBot</at>', mentioned: { id: identity.botId, name: 'HuntBot' } }]);
    expect(mentionMessage(identity, 'http://127.0.0.1:9/', '  @huntbot   help').text).toBe('<at>HuntBot</at> help');
  });

  it('mentions the bot on text typed without the mention, and leaves other @words alone', () => {
    expect(mentionMessage(identity, 'http://127.0.0.1:9/', 'hunt rmm anydesk 7d').text).toBe('<at>HuntBot</at> hunt rmm anydesk 7d');
    expect(mentionMessage(identity, 'http://127.0.0.1:9/', '@HuntBotter help').text).toBe('<at>HuntBot</at> @HuntBotter help');
  });
});

describe('huntbot chat --url', () => {

  it('hints at /api/messages when the URL has another path, then still tries it', async () => {
    const io = capturedIO();
    expect(await chatCommand(['--url', 'http://127.0.0.1:9', '--once', 'help'], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/the bot listens on \/api\/messages.*Did you mean --url http:\/\/127\.0\.0\.1:9\/api\/messages\?/);
    expect(io.stderr[1]).toMatch(/cannot reach the bot at http:\/\/127\.0\.0\.1:9/);
  });

  it('gives no hint for the messaging endpoint itself', async () => {
    const io = capturedIO();
    expect(await chatCommand(['--url', 'http://127.0.0.1:9/api/messages', '--once', 'help'], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
  });

  it('refuses a URL that is not one as a usage error', async () => {
    const io = capturedIO();
    expect(await chatCommand(['--url', 'localhost 3978'], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/--url must be a URL/);
  });
});

describe('waiting for running hunts when the input ends', () => {
  const running = (id: string): ConnectorActivity => ({
    id,
    conversationId: 'c',
    operation: 'send',
    activity: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'Container', id: 'huntbot-running', items: [] }] } }] },
  });
  const result = (id: string): ConnectorActivity => ({
    id,
    conversationId: 'c',
    operation: 'update',
    activity: { attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'TextBlock', text: 'done' }] } }] },
  });

  it('settles when every running card has been replaced by its result', async () => {
    const pending = new PendingHunts();
    pending.observe(running('a'));
    pending.observe(running('b'));
    const settled = pending.settled(10_000);
    pending.observe(result('a'));
    expect(pending.size).toBe(1);
    pending.observe(result('b'));
    await expect(settled).resolves.toBe(true);
  });

  it('gives up after the ceiling when a hunt never finishes', async () => {
    const pending = new PendingHunts();
    pending.observe(running('a'));
    await expect(pending.settled(20)).resolves.toBe(false);
    expect(pending.size).toBe(1);
  });
});
