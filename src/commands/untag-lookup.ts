import type { HuntCatalog } from '../hunts/catalog';
import type { Requester } from '../domain/requester';
import { runHuntKey } from '../runs/hunt-runner';
import { EVERY_DEVICE } from '../stores/exclusion-store';
import type { TagService } from '../tags/tag-service';
import { truncate } from '../cards/text';
import { cleanName } from '../text/display-text';
import { userErrorText } from '../text/user-error';
import { LOOKUP_FAMILY, lookupEntity } from './lookup-command';
import type { CommandReply } from './command-reply';
import type { CommandArgs } from './command-spec';

export const UNTAG_LOOKUP_USAGE = 'untag lookup <kind> <value> [<device name or id>]';
const LISTED = 'Tags on lookups are listed by `exclusions lookup`.';

/** The hunt key a lookup's tags are stored under (`lookup/hash:<sha256>`) and how to name it, or why the words name none. */
export function lookupTagKey(catalog: HuntCatalog, args: Pick<CommandArgs, 'raw'>): { huntKey: string; name: string } | { problem: string } {
  const [kind, value] = args.raw;
  if (kind === undefined || value === undefined) return { problem: `Usage: \`${UNTAG_LOOKUP_USAGE}\`, e.g. \`untag lookup domain example.com mkt-ws-005\`.` };
  const entity = lookupEntity(catalog, kind, value, 'untag lookup');
  if (!entity.ok) return { problem: `${entity.message} Usage: \`${UNTAG_LOOKUP_USAGE}\`.` };
  const huntKey = runHuntKey({ family: LOOKUP_FAMILY, tool: entity.tool, arguments: { [entity.argumentName]: entity.value } });
  return { huntKey, name: `lookup ${entity.tool.tool} ${entity.value.value}` };
}

/**
 * `untag lookup <kind> <value> [<device>]` (`args` are the words after `lookup`): the value is read as
 * `lookup` reads it, so the key is the one the card's Tag benign stored. Without a device, the lookup's
 * one tagged device is untagged; with several the reply names them and asks which.
 */
export async function untagLookup(catalog: HuntCatalog, tags: TagService, args: CommandArgs, requester: Requester): Promise<CommandReply> {
  if (args.raw.length > 3) return text(`Too many words. Usage: \`${UNTAG_LOOKUP_USAGE}\`.`);
  const key = lookupTagKey(catalog, args);
  if ('problem' in key) return text(key.problem);
  const typed = args.raw[2];
  try {
    let device = typed;
    if (device === undefined) {
      const own = (await tags.list(key.huntKey)).filter((t) => t.huntKey === key.huntKey);
      if (own.length === 0) return text(`No benign tag on ${key.name}. ${LISTED}`);
      if (own.length > 1) {
        const names = own.map((t) => (t.deviceId === EVERY_DEVICE ? 'every device' : truncate(cleanName(t.deviceName || t.deviceId), 60)));
        return text(`${own.length} devices are tagged benign on ${key.name}: ${truncate(names.join(', '), 600)}. Say which: \`untag ${key.name} <device name or id>\`.`);
      }
      device = own[0].deviceId === EVERY_DEVICE ? 'everywhere' : own[0].deviceId;
    }
    const removed = await tags.untagDevice(key.huntKey, device, requester);
    if (!removed) return text(`No benign tag for "${truncate(cleanName(device), 60)}" on ${key.name}. ${LISTED}`);
    const on = removed.deviceId === EVERY_DEVICE ? 'every device' : removed.deviceName || removed.deviceId;
    return text(`Removed the benign tag on ${on} for ${key.name}; it will show in the next lookup.`);
  } catch (error) {
    return text(`Could not remove the benign tag for ${key.name}: ${userErrorText(error)}. The tag is still in place; try again.`);
  }
}

function text(value: string): CommandReply {
  return { kind: 'text', text: value };
}
