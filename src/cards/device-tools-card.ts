import type { DeviceToolSeen, HuntRun } from '../domain/hunt-run';
import { cleanName } from '../text/display-text';
import { countOf } from '../text/count-text';
import { formatUtc, truncate } from './text';

/** Tools listed on the card; more would crowd it (a device with this many RMM tools says so in its count). */
const TOOLS_SHOWN = 20;

/** Room for one signal kind's tools not looked at (~100 tool names). */
const NOT_LOOKED_CHARS = 2_000;

export const DEVICE_TOOLS_HEADING = 'RMM tools seen (every catalogued signal)';

/** The result card's "RMM tools seen" section of a device lookup: one line per tool, then what it all means. */
export interface DeviceToolsCardData {
  shown: boolean;
  heading: string;
  lines: string[];
  status: string[];
  problems: string[];
}

export function deviceToolsCardData(run: HuntRun): DeviceToolsCardData {
  const section = run.deviceTools;
  if (!section) return { shown: false, heading: '', lines: [], status: [], problems: [] };
  const devices = new Set([...section.seen, ...section.hidden].map((t) => t.deviceId));
  const line = (tool: DeviceToolSeen) => toolLine(tool, devices.size > 1);
  const lines = section.seen.slice(0, TOOLS_SHOWN).map(line);
  const status: string[] = [];
  if (section.seen.length > TOOLS_SHOWN) status.push(`${countOf(section.seen.length - TOOLS_SHOWN, 'more tool')} not listed.`);
  const checked = `${countOf(section.toolsChecked, 'tool')}, ${countOf(section.signalsChecked, 'signal')} checked`;
  // Stored runs from before the lookup deadline have no notLookedAt.
  const notLooked = section.notLookedAt ?? [];
  const incomplete = section.couldNotLook.length > 0 || notLooked.length > 0;
  const partial = incomplete ? ` (${section.signalsChecked} of ${section.signalsTotal} signals could be checked)` : '';
  if (section.seen.length > 0) {
    status.push(`${section.seen.length} of ${countOf(section.toolsChecked, 'catalogued RMM tool')} seen on this device; ${countOf(section.signalsChecked, 'signal')} checked${partial}.`);
  } else if (!incomplete) {
    status.push(`No catalogued RMM tool seen on this device: ${checked}.`);
  } else if (section.signalsChecked > 0) {
    status.push(`No catalogued RMM tool seen in the signals that could be checked${partial}: not a clean result.`);
  } else {
    status.push('Could not look for RMM tools on this device: not a clean result.');
  }
  if (section.hidden.length > 0) {
    const named = section.hidden.map((t) => `${t.toolName}${t.tag ? ` (${t.tag.scenarioTitle} — ${truncate(cleanName(t.tag.byName) || 'someone', 40)})` : ''}`);
    status.push(`${section.hidden.length} hidden as benign: ${truncate(named.join(', '), 300)}.`);
  }
  // The deadline's lines name every tool not looked at, so they get more room than a failure's reason.
  const problems = [...notLooked.map((p) => truncate(p, NOT_LOOKED_CHARS)), ...[...section.couldNotLook, ...section.notes].map((p) => truncate(p, 400))];
  return { shown: true, heading: DEVICE_TOOLS_HEADING, lines, status, problems };
}

/** `AnyDesk — process, network connection · 3 events · 2026-12-01 10:02 UTC → 2026-12-02 09:40 UTC`. */
function toolLine(tool: DeviceToolSeen, nameDevice: boolean): string {
  const where = nameDevice ? ` · on ${truncate(cleanName(tool.deviceName), 80)}` : '';
  return `${tool.toolName} — ${tool.kinds.join(', ')} · ${countOf(tool.count, 'event')} · ${formatUtc(tool.firstSeen)} → ${formatUtc(tool.lastSeen)}${where}`;
}
