import type { ChildProcess } from 'node:child_process';

/** Waits until the bot on `port` says it is up on /healthz (180 s at most: a loaded machine starts slowly). */
export async function waitForHealthyBot(child: ChildProcess, port: number): Promise<ChildProcess> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    try {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { status?: string };
      if (health.status === 'ok') return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill();
  throw new Error('the bot did not start within 180 s');
}
