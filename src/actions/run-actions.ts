import { runningCard } from '../cards/run-cards';
import type { CommandRegistry } from '../commands/command-registry';
import { HuntLimitReached } from '../runs/hunt-limit';
import type { RunService } from '../runs/run-service';
import type { Logger } from '../logging/logger';
import type { CardPublisher } from '../runs/card-publisher';
import type { CardActionRouter } from './card-action-router';

/** Card actions on a hunt itself: cancel it while it waits or runs, run it again for a fresh result. */
export function registerRunActions(router: CardActionRouter, runs: RunService, commands: CommandRegistry, publisher: CardPublisher, logger: Logger): void {
  router.on('run.cancel', {
    access: 'requester',
    doing: 'cancel hunts',
    writes: true,
    handle: async ({ run, actor }) => {
      switch (runs.cancel(run.runId, actor)) {
        case 'cancelled':
          return { forClicker: { message: 'Cancelling the hunt; the card will say when it stopped.' } };
        case 'not-yours':
          return { forClicker: { message: 'Only the person who started this hunt can cancel it.' } };
        case 'not-running':
          return { forClicker: { message: 'This hunt is not running here any more (it may have just finished).' } };
      }
    },
  });

  router.on('run.again', {
    access: 'hunt',
    doing: 'run hunts',
    writes: true,
    handle: async ({ run, actor, origin }) => {
      if (!run.command) return { forClicker: { message: 'This hunt cannot be run again from its card. Type the hunt command again.' } };
      if (!origin) return { forClicker: { message: 'Cannot tell which card to update; type the hunt command again.' } };
      // The stored command goes back through the registry, so the same parsing and permission checks apply.
      const reply = await commands.route(run.command, actor);
      if (reply.kind === 'text') return { forClicker: { message: reply.text } };
      if (reply.kind !== 'run-hunt') return { forClicker: { message: 'That hunt cannot be run again from here; type the command.' } };
      let again;
      try {
        again = await runs.begin(reply.request, actor, run.command);
      } catch (error) {
        if (error instanceof HuntLimitReached) return { forClicker: { message: error.message } };
        throw error;
      }
      // The shared card shows "running" before the new run can publish its result, never after it.
      const card = runningCard(again);
      await publisher.update(origin, card, { inTurn: true }).catch((error: unknown) =>
        logger.warn({ event: 'card-update-failed', runId: again.runId, err: error }, 'could not show the running card; the result will replace the card when done'),
      );
      runs.finishInBackground(again, reply.request, origin, { fresh: true });
      return { forClicker: { card }, outcome: `Started ${run.title} again; its card shows the result when it finishes.` };
    },
  });
}
