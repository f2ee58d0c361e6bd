import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoopTurns } from '../../src/scheduling/loop-turns';

/** Keeps the event loop busy, as shaping and rendering a result card does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('background steps taking turns with the event loop', () => {
  let server: http.Server;
  let stepsDone = 0;
  let stepsDoneWhenAnswered: number | undefined;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      stepsDoneWhenAnswered = stepsDone;
      res.end('running card');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    stepsDone = 0;
    stepsDoneWhenAnswered = undefined;
  });

  async function burst(next: () => Promise<void>): Promise<void> {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const request = fetch(url).then((response) => response.text());
    const steps = Array.from({ length: 60 }, () =>
      next().then(() => {
        busyFor(3);
        stepsDone++;
      }),
    );
    await Promise.all([request, ...steps]);
  }

  it('answers a request that arrives during a burst of steps before the burst is over', async () => {
    const turns = new LoopTurns();
    await burst(() => turns.next());
    expect(stepsDone).toBe(60);
    expect(stepsDoneWhenAnswered).toBeLessThan(60);
  });

  it('(without taking turns, the same burst holds the request until every step is done)', async () => {
    await burst(() => Promise.resolve());
    expect(stepsDoneWhenAnswered).toBe(60);
  });

  it('runs the steps in the order they asked', async () => {
    const turns = new LoopTurns();
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => turns.next().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });
});
