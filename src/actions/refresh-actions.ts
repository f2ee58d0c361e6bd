import { resultCard } from '../cards/run-cards';
import type { Logger } from '../logging/logger';
import { withStoreTags } from '../tags/run-tags';
import type { TagService } from '../tags/tag-service';
import type { CardActionRouter } from './card-action-router';
import type { ViewMemory } from './view-memory';

/**
 * The result card's Universal Actions `refresh`: when someone opens the card, Teams asks for their view and
 * gets the current tags (read from the store now) on the page they last looked at.
 */
export function registerRefreshAction(router: CardActionRouter, tags: TagService, views: ViewMemory, logger: Logger): void {
  router.on('results.refresh', {
    access: 'hunt',
    doing: 'see hunt results',
    handle: async ({ run, actor }) => {
      const view = views.viewOf(run.runId, actor.aadObjectId || actor.id);
      if (run.status !== 'done') return { forClicker: { card: resultCard(run, view) } };
      try {
        return { forClicker: { card: resultCard(withStoreTags(run, await tags.activeTags(run.huntKey)), view) } };
      } catch (error) {
        // The stored run's tags are the last the bot knew; better than no card.
        logger.warn({ event: 'refresh-tags-unreadable', runId: run.runId, err: error }, 'could not read the tags for a card refresh');
        return { forClicker: { card: resultCard(run, view) } };
      }
    },
  });
}
