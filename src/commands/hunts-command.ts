import { expandCard } from '../cards/card-templates';
import { truncate } from '../cards/text';
import type { CatalogTool } from '../domain/hunt-definition';
import type { HuntCatalog } from '../hunts/catalog';
import type { CommandReply } from './command-reply';
import type { CommandArgs, CommandSpec } from './command-spec';
import { countOf } from '../text/count-text';

/** Tools listed on one card; a filter narrows the list. */
const MAX_TOOLS = 80;

/** `hunts [filter]`: the catalog, per family and tool, with the kinds each tool has or why it has none. */
export function huntsCommand(catalog: HuntCatalog): CommandSpec {
  return {
    id: 'hunts',
    usage: 'hunts [<family>|<filter>]',
    summary: 'List the hunts I know, with their signal kinds.',
    examples: ['hunts', 'hunts rmm', 'hunts vnc'],
    permission: 'anyone',
    handle: (args) => listHunts(catalog, args),
  };
}

function listHunts(catalog: HuntCatalog, args: CommandArgs): CommandReply {
  const filter = args.words.join(' ').trim();
  const families = catalog.families();
  const selectedFamilies = families.includes(filter) ? [filter] : families;
  const needle = families.includes(filter) ? '' : filter;
  const tools: CatalogTool[] = [];
  // A hunt's description, tactics and techniques count too (`hunts persistence`, `hunts T1543`).
  const huntMatches = new Set(needle === '' ? [] : catalog.find(needle).map((hunt) => `${hunt.family}/${hunt.tool}`));
  for (const family of selectedFamilies) {
    for (const tool of catalog.tools(family)) {
      const haystack = [tool.tool, tool.toolName, ...tool.aliases].join(' ').toLowerCase();
      if (needle === '' || haystack.includes(needle.toLowerCase()) || huntMatches.has(`${tool.family}/${tool.tool}`)) tools.push(tool);
    }
  }
  if (tools.length === 0) {
    return { kind: 'text', text: `No hunts match "${truncate(filter, 40)}". Say \`hunts\` for the whole list.` };
  }
  const shown = tools.slice(0, MAX_TOOLS);
  return {
    kind: 'card',
    summary: countOf(tools.length, 'hunt tool'),
    card: expandCard('hunts', {
      title: needle ? `Hunts matching "${truncate(needle, 40)}"` : `Hunts (${selectedFamilies.join(', ')})`,
      tools: shown.map((tool) => ({
        name: `${tool.family} ${tool.tool}`,
        value: tool.noHuntReason
          ? `${tool.toolName}: no hunt — ${truncate(tool.noHuntReason, 160)}`
          : `${tool.toolName}: ${tool.kinds.join(', ')}${tool.kinds.length > 1 ? ', all' : ''}`,
      })),
      moreText: tools.length > shown.length ? `… and ${tools.length - shown.length} more; add a filter, e.g. \`hunts vnc\`.` : '',
      footer: 'Run one with `hunt <family> <tool> [<kind>|all] [<window>]`, e.g. `hunt rmm desktopnow 5d`.',
    }),
  };
}
