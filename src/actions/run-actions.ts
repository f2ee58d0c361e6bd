import { runningCard } from '../cards/run-cards';
import type { CommandRegistry } from '../commands/command-registry';
import { HuntLimitReached } from '../runs/hunt-limit';
import type { RunRegistry } from '../runs/run-registry';
import type { RunService } from '../runs/run-service';
import type { CardActionRouter } from './card-action-router';

/** Card actions on a hunt itself: cancel it while it waits or runs, run it again for a fresh result. */
export function registerRunActions(router: CardActionRouter, runs: RunService, registry: RunRegistry, commands: CommandRegistry): void {
  router.on('run.cancel', async (data, actor) => {
    if (typeof data.runId !== 'string') return { forClicker: { message: 'This card action is missing its run.' } };
    switch (runs.cancel(data.runId, actor)) {
      case 'cancelled':
        return { forClicker: { message: 'Cancelling the hunt; the card will say when it stopped.' } };
      case 'not-yours':
        return { forClicker: { message: 'Only the person who started this hunt can cancel it.' } };
      case 'not-running':
        return { forClicker: { message: 'This hunt is not running here any more (it may have just finished).' } };
    }
  });

  router.on('run.again', async (data, actor, origin) => {
    const previous = typeof data.runId === 'string' ? await registry.get(data.runId) : undefined;
    if (!previous?.command) return { forClicker: { message: 'This result is no longer available. Type the hunt command again.' } };
    if (!origin) return { forClicker: { message: 'Cannot tell which card to update; type the hunt command again.' } };
    // The stored command goes back through the registry, so the same parsing and permission checks apply.
    const reply = await commands.route(previous.command, actor);
    if (reply.kind === 'text') return { forClicker: { message: reply.text } };
    if (reply.kind !== 'run-hunt') return { forClicker: { message: 'That hunt cannot be run again from here; type the command.' } };
    let run;
    try {
      run = await runs.begin(reply.request, actor, previous.command);
    } catch (error) {
      if (error instanceof HuntLimitReached) return { forClicker: { message: error.message } };
      throw error;
    }
    runs.finishInBackground(run, reply.request, origin, { fresh: true });
    const card = runningCard(run);
    return { forClicker: { card }, forEveryone: card };
  });
}
