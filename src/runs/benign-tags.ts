import type { BenignScenario } from '../domain/hunt-definition';
import { tagFor, type Exclusion } from '../stores/exclusion-store';
import { tagOf } from './hit-tags';
import type { DeviceHit } from '../domain/hunt-run';

/** The evidence line naming the tools a device is tagged benign for, on all-tools hunts. */
export const TAGGED_TOOLS_EVIDENCE = 'Tagged benign for';

export interface BenignTagRule {
  /** The hunt's own key: a tag under it hides the device and is the tag its card shows (and Untag removes). */
  huntKey: string;
  scenarios: readonly BenignScenario[];
  /** Active tags: the hunt's own, plus (for all-tools hunts) those of the tools it names. */
  tags: readonly Exclusion[];
  /** All-tools hunts: the evidence column naming the tools that hit the device. */
  toolColumn?: string;
  /** The hunt key of a named tool (see HuntCatalog.huntKeyOfTool). */
  huntKeyOfTool?: (toolName: string) => string | undefined;
}

/**
 * Splits hits into shown and hidden-as-benign by one rule: a hit is hidden when its device is tagged
 * benign for the hunt that found it. A per-tool hunt found it for its tool. An all-tools hunt found it for
 * each tool it names on the hit, so the device is hidden when it is tagged for every one of those tools'
 * hunts (or for the all-tools hunt itself); while another, untagged tool still hits it, it stays shown, and
 * its row says which of its tools are tagged benign, by whom and why.
 */
export function splitBenign(hits: readonly DeviceHit[], rule: BenignTagRule): { shown: DeviceHit[]; hidden: DeviceHit[] } {
  const byKey = new Map(rule.tags.map((t) => [t.searchKey, t]));
  const shown: DeviceHit[] = [];
  const hidden: DeviceHit[] = [];
  for (const hit of hits) {
    const own = tagFor(byKey, rule.huntKey, hit.deviceId);
    const tools = rule.toolColumn ? (hit.evidence.find((e) => e.name === rule.toolColumn)?.values ?? []) : [];
    const toolTags = tools.map((name) => {
      const key = rule.huntKeyOfTool?.(name);
      return { name, tag: key ? tagFor(byKey, key, hit.deviceId) : undefined };
    });
    const tagged = toolTags.filter((t): t is { name: string; tag: Exclusion } => t.tag !== undefined);
    const marked: DeviceHit =
      tagged.length === 0
        ? hit
        : { ...hit, evidence: [...hit.evidence, { name: TAGGED_TOOLS_EVIDENCE, values: tagged.map((t) => `${t.name} (${describe(t.tag, rule.scenarios)})`) }] };
    if (own) hidden.push({ ...marked, tag: tagOf(own, rule.scenarios) });
    else if (tools.length > 0 && tagged.length === tools.length) hidden.push(marked);
    else shown.push(marked);
  }
  return { shown, hidden };
}

function describe(tag: Exclusion, scenarios: readonly BenignScenario[]): string {
  const view = tagOf(tag, scenarios);
  return `${view.scenarioTitle} — ${view.byName}`;
}
