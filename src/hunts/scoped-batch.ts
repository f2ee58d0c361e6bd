import type { QueryWindow } from '../domain/hunt-request';
import type { HuntDefinition } from '../domain/hunt-definition';
import { kqlLong } from './kql-literals';
import { renderHuntQuery } from './render';

/** The columns every leg of a batch returns; `Tools` only from all-tools hunts (null elsewhere). */
export const BATCH_COLUMNS = { hunt: 'BatchHunt', key: 'BatchEntityKey', label: 'BatchEntityLabel', tools: 'BatchTools' } as const;

/**
 * Several hunts, each scoped to one device, as one query for a metered backend: each hunt's KQL exactly as
 * render.ts writes it for `on <device>` becomes the body of a `let` function (so its own `let`s stay its
 * own), projected to the shared columns with its position in `hunts` as a kqlLong literal, and the
 * functions are unioned. Nothing but typed literals and the hunts' own validated column names is added.
 */
export function renderScopedBatch(hunts: readonly HuntDefinition[], options: { window: QueryWindow; device: string }): string {
  const legs = hunts.map((hunt, index) => {
    const body = renderHuntQuery(hunt, { window: options.window, scope: { device: options.device } });
    const tools = hunt.toolColumn ? `, ${BATCH_COLUMNS.tools} = ${columnName(hunt, hunt.toolColumn)}` : '';
    const projection =
      `| project ${BATCH_COLUMNS.hunt} = ${kqlLong(index)}, ${BATCH_COLUMNS.key} = tostring(${columnName(hunt, hunt.entityKey)}), ` +
      `${BATCH_COLUMNS.label} = tostring(${columnName(hunt, hunt.entityLabel)}), FirstSeen, LastSeen, Count${tools}`;
    return `let batch_hunt_${index} = () {\n${body}\n${projection}\n};`;
  });
  return `${legs.join('\n')}\nunion ${hunts.map((_, index) => `batch_hunt_${index}()`).join(', ')}`;
}

function columnName(hunt: HuntDefinition, name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`hunt ${hunt.id}: ${name} is not a column name`);
  return name;
}
