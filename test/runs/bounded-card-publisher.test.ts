import type { AdaptiveCardJson } from '../../src/domain/adaptive-card';
import { BoundedCardPublisher } from '../../src/runs/bounded-card-publisher';
import type { CardPublisher, CardTarget } from '../../src/runs/card-publisher';

/** A connector whose calls stay open until released, recording what it was asked and how many were open at once. */
class SlowConnector implements CardPublisher {
  readonly calls: Array<{ target: CardTarget; card: AdaptiveCardJson; release: (error?: Error) => void }> = [];
  open = 0;
  mostOpen = 0;

  update(target: CardTarget, card: AdaptiveCardJson): Promise<void> {
    this.open++;
    this.mostOpen = Math.max(this.mostOpen, this.open);
    return new Promise((resolve, reject) => {
      this.calls.push({
        target,
        card,
        release: (error) => {
          this.open--;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  }
}

const card = (label: string): AdaptiveCardJson => ({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: label }] });
const target = (id: string): CardTarget => ({ conversation: { id: 'conv' }, activityId: id });

describe('BoundedCardPublisher', () => {
  it('never has more than its limit of connector calls open, and every update lands', async () => {
    const connector = new SlowConnector();
    const publisher = new BoundedCardPublisher(connector, 4);
    const done = Promise.all(Array.from({ length: 100 }, (_, i) => publisher.update(target(`a${i}`), card(`c${i}`))));
    await new Promise((resolve) => setImmediate(resolve));
    expect(connector.open).toBe(4);
    expect(publisher.waiting).toBe(96);
    while (connector.calls.length > 0) {
      for (const call of connector.calls.splice(0)) call.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    expect(connector.mostOpen).toBe(4);
  });

  it('sends one card’s updates in order and replaces a waiting update with the newer one', async () => {
    const connector = new SlowConnector();
    const publisher = new BoundedCardPublisher(connector, 4);
    const one = target('one');
    const updates = [publisher.update(one, card('queued 3rd')), publisher.update(one, card('queued 2nd')), publisher.update(one, card('result'))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(connector.calls.map((c) => c.card)).toEqual([card('queued 3rd')]);
    connector.calls.splice(0)[0].release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(connector.calls.map((c) => c.card)).toEqual([card('result')]);
    connector.calls.splice(0)[0].release();
    await Promise.all(updates);
  });

  it('rejects the callers of a failed update and goes on with the others', async () => {
    const connector = new SlowConnector();
    const publisher = new BoundedCardPublisher(connector, 1);
    const failing = publisher.update(target('x'), card('x'));
    const next = publisher.update(target('y'), card('y'));
    await new Promise((resolve) => setImmediate(resolve));
    connector.calls.splice(0)[0].release(new Error('503 from the connector'));
    await expect(failing).rejects.toThrow('503 from the connector');
    await new Promise((resolve) => setImmediate(resolve));
    connector.calls.splice(0)[0].release();
    await expect(next).resolves.toBeUndefined();
  });
});
