import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { CardActionGuard } from '../../src/actions/card-action-guard';
import { CardActionRouter } from '../../src/actions/card-action-router';
import { HuntBot } from '../../src/bot/hunt-bot';
import { createPromptState } from '../../src/bot/bot-runtime';
import type { HuntRun } from '../../src/domain/hunt-run';
import { silentLogger } from '../../src/logging/logger';
import type { CardTarget } from '../../src/runs/card-publisher';
import { finishedRun } from '../support/run-fixtures';

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const CONVERSATION = '19:soc@thread.tacv2';
const TENANT = 'tenant-1';

/** A bot whose tag-save verb and its refusal audit each take `slowMs`, answering presses after 20 ms. */
function botWith(slowMs: number, allowed: boolean, failure?: Error) {
  const run: HuntRun = { ...finishedRun({}), conversation: { id: CONVERSATION, tenantId: TENANT } };
  const authorizer = { check: () => (allowed ? { allowed: true as const } : { allowed: false as const, reason: 'only the configured taggers may tag or untag hits (HUNT_TAGGERS).' }) };
  const router = new CardActionRouter(new CardActionGuard(authorizer, { get: async () => run }, silentLogger), silentLogger);
  router.on('hit.tag.save', {
    access: 'tag',
    doing: 'tag hits',
    writes: true,
    onRefused: () => after(slowMs),
    handle: async () => {
      await after(slowMs);
      if (failure) throw failure;
      return { forClicker: { message: 'saved' }, outcome: 'Tagged fin-ws-001 as benign for rmm/desktopnow.' };
    },
  });
  const notes: Array<{ target: CardTarget; text: string }> = [];
  const bot = new HuntBot({
    registry: {} as never,
    catalog: {} as never,
    runs: {} as never,
    actions: router,
    promptState: createPromptState(),
    logger: silentLogger,
    cardAnswerMs: 20,
    notify: async (target, text) => {
      notes.push({ target, text });
    },
  });
  return { bot, notes, runId: run.runId };
}

async function press(bot: HuntBot, name: string, runId: string, replyToId: string | undefined | null = 'card-1'): Promise<string> {
  const adapter = new TestAdapter(async (context) => bot.run(context));
  const activity: Partial<Activity> = {
    type: ActivityTypes.Invoke,
    name: 'adaptiveCard/action',
    channelId: 'msteams',
    from: { id: `29:${name}`, name, aadObjectId: `aad-${name}` },
    conversation: { id: CONVERSATION, tenantId: TENANT, isGroup: true, conversationType: 'channel', name: '' },
    recipient: { id: '28:bot', name: 'bot' },
    replyToId: replyToId ?? undefined,
    value: { action: { type: 'Action.Execute', verb: 'hit.tag.save', data: { runId, deviceId: 'dev-a' } } },
  };
  await adapter.processActivity(activity);
  const answer = adapter.activeQueue.find((a) => a.type === 'invokeResponse');
  return String((answer?.value as { body?: { value?: unknown } } | undefined)?.body?.value ?? '');
}

describe('a card press that outlasts the answer budget', () => {
  it('posts what the change did in the conversation once it is done', async () => {
    const { bot, notes, runId } = botWith(100, true);
    expect(await press(bot, 'Alice', runId)).toMatch(/^Still working on this/);
    await bot.pressesDone();
    expect(notes.map((n) => n.text)).toEqual(['Alice: Tagged fin-ws-001 as benign for rmm/desktopnow. (finished after Teams stopped waiting for the button)']);
  });

  it('never posts a refusal in the conversation: a refused press answers only the presser', async () => {
    const { bot, notes, runId } = botWith(100, false);
    await press(bot, 'Mallory', runId);
    await bot.pressesDone();
    expect(notes).toEqual([]);
  });

  it('does not ask to press a change again when it cannot say where its outcome goes: the change goes on', async () => {
    const { bot, notes, runId } = botWith(100, true);
    const answer = await press(bot, 'Alice', runId, null);
    await bot.pressesDone();
    expect(notes).toEqual([]);
    expect(answer).not.toMatch(/press it again/i);
    expect(answer).toMatch(/^Still working on this: .*check the card/);
  });

  it('posts what failed with a correlation id, without the server path or the rest of the error', async () => {
    const { bot, notes, runId } = botWith(100, true, new Error(`SQLITE_IOERR: disk I/O error at ${__dirname}/huntbot.db\nstack line`));
    await press(bot, 'Alice', runId);
    await bot.pressesDone();
    expect(notes).toHaveLength(1);
    expect(notes[0].text).toMatch(/^Alice: your button press failed after Teams stopped waiting for it: SQLITE_IOERR: disk I\/O error at .*\. Check the card before trying again\. \(correlation id [0-9a-f-]{36}\)$/);
    expect(notes[0].text).not.toContain(__dirname);
    expect(notes[0].text).not.toContain('stack line');
  });
});
