import type { AdaptiveCardJson } from '../domain/adaptive-card';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import { DEFAULT_EXPIRY, EXPIRY_CHOICES } from '../domain/tag-expiry';
import { cleanDisplayText, cleanName } from '../text/display-text';
import { countOf } from '../text/count-text';
import { expandCard } from './card-templates';
import type { ResultView } from './run-cards';
import { formatUtc, listWithMore, truncate } from './text';

export interface BulkTagState {
  scenario?: string;
  scope?: string;
  justification?: string;
  expiry?: string;
  expiresOn?: string;
  errors?: string[];
  view?: ResultView;
}

function names(hits: readonly DeviceHit[]): string {
  return listWithMore(hits.map((h) => truncate(cleanName(h.deviceName) || h.deviceId, 60)), 12);
}

function common(run: HuntRun, hits: readonly DeviceHit[], state: BulkTagState) {
  return {
    runId: run.runId,
    deviceIds: hits.map((h) => h.deviceId).join('\n'),
    page: Math.max(0, Math.floor(state.view?.page ?? 0)),
    showHidden: state.view?.showHidden === true,
  };
}

/** "Tag all on this page": one scenario, justification and expiry for the page's untagged devices. */
export function bulkTagFormCard(run: HuntRun, hits: readonly DeviceHit[], state: BulkTagState = {}): AdaptiveCardJson {
  const [family = ''] = run.huntKey.split('/');
  return expandCard('bulk-tag-form', {
    ...common(run, hits, state),
    title: `Tag ${countOf(hits.length, 'device')} on this page as benign`,
    subtitle: `${run.title} (${run.huntKey})`,
    errors: state.errors ?? [],
    devicesText: `Devices: ${names(hits)}. Each gets its own tag and its own audit entry.`,
    scenario: state.scenario ?? '',
    scope: state.scope || 'device',
    scopes: [
      { value: 'device', title: 'This tool on each device' },
      { value: 'family-device', title: `Every ${family} tool on each device` },
    ],
    justification: state.justification ?? '',
    expiry: state.expiry ?? DEFAULT_EXPIRY,
    expiresOn: state.expiresOn ?? '',
    scenarios: run.scenarios.map((s) => ({ id: s.id, title: s.title })),
    expiries: EXPIRY_CHOICES.map((value) => ({ value, title: value === 'never' ? 'never' : `in ${value.slice(0, -1)} days` })),
  });
}

/** The confirmation naming the count (and the devices) before anything is written. */
export function bulkTagConfirmCard(
  run: HuntRun,
  hits: readonly DeviceHit[],
  value: { scenarioId: string; scenarioTitle: string; scope: string; justification: string; expiresAtUtc: string },
  state: BulkTagState,
): AdaptiveCardJson {
  return expandCard('bulk-tag-confirm', {
    ...common(run, hits, state),
    title: `Tag ${countOf(hits.length, 'device')} as benign for ${run.huntKey}?`,
    devicesText: names(hits),
    facts: [
      { title: 'Scenario', value: value.scenarioTitle },
      { title: 'Applies to', value: value.scope === 'family-device' ? 'every tool of this family on each device' : 'this tool on each device' },
      { title: 'Expires', value: value.expiresAtUtc ? formatUtc(value.expiresAtUtc) : 'never' },
    ],
    justification: truncate(cleanDisplayText(value.justification), 500),
    scenario: value.scenarioId,
    scope: value.scope,
    expiry: state.expiry ?? '',
    expiresOn: state.expiresOn ?? '',
    confirmTitle: `Tag ${countOf(hits.length, 'device')}`,
  });
}
