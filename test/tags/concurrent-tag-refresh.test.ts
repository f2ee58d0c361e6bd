import type { DeviceHit, HuntRun } from '../../src/domain/hunt-run';
import type { Requester } from '../../src/domain/requester';
import { silentLogger } from '../../src/logging/logger';
import { RunRegistry } from '../../src/runs/run-registry';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import type { AuditEntry, Exclusion } from '../../src/stores/exclusion-store';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import type { PublishRun } from '../../src/tags/tag-refresh';
import { TagService } from '../../src/tags/tag-service';
import { finishedRun, hitWithEvidence } from '../support/run-fixtures';

const DEVICE = 'dev-1';
const CARD = 'activity-1';
const RUN: HuntRun = finishedRun({
  hits: [hitWithEvidence(DEVICE, { Signer: ['NCH Software Pty Ltd'] })],
  scenarios: [{ id: 'remote-desktop', title: 'Remote desktop session by an admin', description: '', requiresJustification: false }],
});

function responder(name: string): Requester {
  return { id: `29:${name}`, aadObjectId: `aad-${name}`, name, tenantId: 't-1', conversationId: 'c-1' };
}

/** The shared card as Teams last showed it: each publish lands when its connector call ends. */
class SharedCard {
  shown?: HuntRun;
  /** A publisher whose calls land at once. */
  readonly open: PublishRun = Object.assign(async (run: HuntRun) => void (this.shown = run), { card: CARD });
  private held?: { run: HuntRun; land: () => void };
  private onHold?: () => void;
  private fast = false;
  /** A publisher whose calls wait (a slow connector call) until `land` is called. */
  readonly slow: PublishRun = Object.assign(
    (run: HuntRun) =>
      new Promise<void>((resolve) => {
        if (this.fast) return resolve(void (this.shown = run));
        this.held = { run, land: () => ((this.shown = run), resolve()) };
        this.onHold?.();
      }),
    { card: CARD },
  );

  /** Resolves when a slow publish is waiting to land (true), or `done` settled first (false). */
  async slowPublishWaiting(done: Promise<unknown>): Promise<boolean> {
    if (this.held) return true;
    return Promise.race([new Promise<boolean>((resolve) => (this.onHold = () => resolve(true))), done.then(() => false)]);
  }

  /** From now on slow publishes land at once, the one waiting too. */
  speedUp(): void {
    this.fast = true;
    this.landSlowPublish();
  }

  landSlowPublish(): void {
    const held = this.held;
    this.held = undefined;
    held?.land();
  }
}

/** A store that tells when a write has landed. */
class WatchedStore extends SqliteExclusionStore {
  private readonly waiting = new Map<string, () => void>();
  override async upsert(exclusion: Exclusion, audit?: AuditEntry): Promise<Exclusion> {
    const saved = await super.upsert(exclusion, audit);
    this.waiting.get(saved.taggedByName)?.();
    return saved;
  }
  written(byName: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(byName, resolve));
  }
}

/** Lets whatever runs on promises and timers of zero length go on (a write's whole refresh, in memory). */
function aMoment(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

function byNameOn(run: HuntRun | undefined): string | undefined {
  return run?.hits.find((h: DeviceHit) => h.deviceId === DEVICE)?.tag?.byName;
}

/** A saved run of one device, tags in SQLite, and a way to tag that device as someone, publishing through `publish`. */
async function taggingOneCard() {
  const store = new WatchedStore(':memory:');
  const runs = new RunRegistry(new MemoryStateStore());
  await runs.save(RUN);
  const tags = new TagService(store, runs, silentLogger);
  const tagBy = (name: string, publish: PublishRun) => tags.tag({ run: RUN, hit: RUN.hits[0] }, { scenario: 'remote-desktop' }, responder(name), publish);
  return { store, runs, card: new SharedCard(), tagBy };
}

describe('responders retagging one device while the shared card is being refreshed', () => {
  it('leaves the shared card and the stored run showing the tag the store holds, however slow an earlier refresh is', async () => {
    const { store, runs, card, tagBy } = await taggingOneCard();

    // The first responder's refresh publishes through a slow connector call; each time it is under way,
    // someone else retags the device (and, if nothing holds them back, refreshes the card themselves).
    const first = tagBy('Responder 000', card.slow);
    const others: Array<Promise<unknown>> = [];
    for (let i = 1; i <= 3; i++) {
      if (!(await card.slowPublishWaiting(first))) break;
      const name = `Responder 00${i}`;
      const written = store.written(name);
      const other = tagBy(name, card.open);
      others.push(other);
      await written;
      await Promise.race([other, aMoment()]);
      card.landSlowPublish();
    }
    card.speedUp();
    await Promise.all([first, ...others]);

    const [held] = await store.list(RUN.huntKey);
    expect(held.taggedByName).toBe('Responder 003');
    expect(byNameOn(card.shown)).toBe(held.taggedByName);
    expect(byNameOn(await runs.get(RUN.runId))).toBe(held.taggedByName);
    await store.close();
  });

  it('tells only the clickers of a card that could not be refreshed so, when writers on two cards of one run are refreshed together', async () => {
    const { store, card, tagBy } = await taggingOneCard();
    const refused: PublishRun = Object.assign(async () => Promise.reject(new Error('Teams answered 404')), { card: 'activity-2' });

    const first = tagBy('Responder 000', card.slow);
    expect(await card.slowPublishWaiting(first)).toBe(true);
    const onFirstCard = tagBy('Responder 001', card.open);
    const onSecondCard = tagBy('Responder 002', refused);
    await aMoment();
    card.speedUp();
    const outcomes = await Promise.all([first, onFirstCard, onSecondCard]);

    expect(outcomes.map((o) => (o.kind === 'saved' ? o.problems : o.kind))).toEqual([[], [], ['card']]);
    expect(byNameOn(card.shown)).toBe('Responder 002');
    await store.close();
  });
});
