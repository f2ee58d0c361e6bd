import { pivotCommand } from '../hunts/lookup-pivots';
import type { CardActionRouter } from './card-action-router';

/**
 * One-click pivots from a lookup result: **Look up this device** on a device row, **Look up** on a hash,
 * domain or IP it shows. The press carries only the run id and an index; the entity is read from the run
 * the guard admitted (stored server-side), and the lookup runs in this conversation as a new card.
 */
export function registerLookupActions(router: CardActionRouter): void {
  router.on('lookup.pivot', {
    access: 'hunt',
    doing: 'run lookups',
    handle: async ({ run, data }) => {
      const command = pivotCommand(run, { device: data.device, entity: data.entity });
      if (!command) return { forClicker: { message: 'That entry is not on this result any more. Type the lookup instead.' } };
      return { forClicker: { message: `Running \`${command}\`; the result appears as a new card.` }, command };
    },
  });
}
