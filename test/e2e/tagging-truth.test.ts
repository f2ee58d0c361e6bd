import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotHarness, type FixtureHarness } from '../support/bot-harness';
import { actionOn, cardDevices } from '../support/card-devices';
import { cardText } from '../support/card-text';
import { defaultIdentity, executeInvoke, postActivity } from '../../src/cli/chat/teams-activity';
import { openSqlite, type SqlDatabase } from '../../src/stores/sqlite-driver';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';

type Card = Record<string, unknown>;

const BREAK_AUDIT = `CREATE TRIGGER audit_damaged BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'database disk image is malformed'); END;`;
const REPAIR_AUDIT = 'DROP TRIGGER IF EXISTS audit_damaged;';

describe('what a tagger is told is what the tag store holds (SQLite), over HTTP', () => {
  let harness: FixtureHarness;
  /** The test's own connection to the bot's database: to damage the audit table and to read the truth. */
  let db: SqlDatabase;
  let store: SqliteExclusionStore;
  const alice = defaultIdentity('Alice');

  beforeAll(async () => {
    harness = await BotHarness.startOnDesktopNowFixture();
    db = openSqlite(harness.app.config.storePath);
    store = new SqliteExclusionStore(harness.app.config.storePath);
  });

  afterAll(async () => {
    db?.close();
    await store?.close();
    await harness?.stop();
  });

  afterEach(() => db.exec(REPAIR_AUDIT));

  const hunt = () => harness.huntToResult('hunt rmm desktopnow 5d', alice);

  const tagged = async (deviceId: string) => (await store.list('rmm/desktopnow')).some((t) => t.deviceId === deviceId);
  const auditFor = async (deviceId: string) => (await store.auditTrail(`rmm/desktopnow|${deviceId}`)).map((e) => e.action);

  it('tells the tagger NOT saved and writes neither the tag nor an audit row when the audit table refuses the write', async () => {
    const { messageId, card } = await hunt();
    db.exec(BREAK_AUDIT);

    const reply = await harness.execute(messageId, 'hit.tag.save', { ...actionOn(card, 'hit.tag', 'dev-a'), scenario: 'backup-job' }, alice);

    expect(cardText((reply.body as { value: Card }).value)).toContain('NOT saved');
    expect(await tagged('dev-a')).toBe(false);
    expect(await auditFor('dev-a')).toEqual([]);
    expect(cardDevices(harness.card(messageId)).get('dev-a')?.tagged).toBe(false);
  });

  it('tells the untagger NOT removed and keeps the tag and its audit trail when the audit table refuses the write', async () => {
    const { messageId, card } = await hunt();
    const saved = await harness.execute(messageId, 'hit.tag.save', { ...actionOn(card, 'hit.tag', 'dev-b'), scenario: 'backup-job' }, alice);
    expect(cardText((saved.body as { value: Card }).value)).toContain('Benign: Backup job execution — Alice');
    db.exec(BREAK_AUDIT);

    const reply = await harness.execute(messageId, 'hit.untag', actionOn(harness.card(messageId), 'hit.untag', 'dev-b'), alice);

    expect((reply.body as { value: string }).value).toContain('NOT removed');
    expect(await tagged('dev-b')).toBe(true);
    expect(await auditFor('dev-b')).toEqual(['tag']);
    expect(cardDevices(harness.card(messageId)).get('dev-b')?.tagged).toBe(true);
    db.exec(REPAIR_AUDIT);
    await harness.say('untag rmm desktopnow dev-b', alice);
    expect(await tagged('dev-b')).toBe(false);
    expect(await auditFor('dev-b')).toEqual(['tag', 'untag']);
  });

  it('tells the tagger the tag was saved, and that the shared card could not be refreshed, when the card update fails', async () => {
    const { messageId, card } = await hunt();
    // A connector that refuses every request: the shared-card update fails, the invoke answer still reaches the clicker.
    const refusing = http.createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"Forbidden","message":"no"}}');
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/`;
      const data = { ...actionOn(card, 'hit.tag', 'dev-c'), scenario: 'scheduled-job' };
      const reply = await postActivity(harness.messagesUrl, executeInvoke(alice, url, messageId, 'hit.tag.save', data));
      const text = cardText((reply.body as { value: Card }).value);
      expect(reply.status).toBe(200);
      expect(text).not.toContain('NOT saved');
      expect(text).toContain('Benign: Legitimate scheduled job execution — Alice');
      expect(text).toContain('Saved, but the shared card could not be refreshed');
      expect(await tagged('dev-c')).toBe(true);
    } finally {
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
      await harness.say('untag rmm desktopnow dev-c', alice);
    }
  });
});
