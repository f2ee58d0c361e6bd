import type { IncidentSummary } from '../domain/bookmark';
import type { DeviceHit, HuntRun } from '../domain/hunt-run';
import type { AdaptiveCardJson } from '../domain/adaptive-card';
import { expandCard } from './card-templates';
import { formatUtc, truncate } from './text';
import { cleanName } from '../text/display-text';
import type { ResultView } from './run-cards';

interface FormState {
  errors?: string[];
  view?: ResultView;
  retry?: boolean;
}

function common(run: HuntRun, hit: DeviceHit, state: FormState) {
  return {
    subtitle: `${run.title} (${run.huntKey}) · ${truncate(cleanName(hit.deviceId), 60)}`,
    errors: state.errors ?? [],
    runId: run.runId,
    deviceId: hit.deviceId,
    page: Math.max(0, Math.floor(state.view?.page ?? 0)),
    showHidden: state.view?.showHidden === true,
  };
}

/** The bookmark form (a note), for the clicker only. `inSentinel`: where the bookmark will go. */
export function bookmarkFormCard(run: HuntRun, hit: DeviceHit, inSentinel: boolean, state: FormState & { note?: string } = {}): AdaptiveCardJson {
  return expandCard('bookmark-form', {
    ...common(run, hit, state),
    title: `Bookmark ${truncate(cleanName(hit.deviceName), 80)}`,
    explain: inSentinel
      ? 'Creates a Microsoft Sentinel hunting bookmark with this hunt\'s query, window and this device\'s result, labelled huntbot, the hunt id and its techniques.'
      : 'No Sentinel workspace is configured: the bookmark is kept in the bot\'s local store (`bookmarks` lists it).',
    note: state.note ?? '',
    saveTitle: state.retry ? 'Retry bookmark' : 'Create bookmark',
  });
}

/** The "Add to incident" form: an incident number, or one of the open incidents offered. */
export function incidentFormCard(
  run: HuntRun,
  hit: DeviceHit,
  inSentinel: boolean,
  offered: IncidentSummary[],
  state: FormState & { incidentNumber?: string; offerProblem?: string } = {},
): AdaptiveCardJson {
  const explain = inSentinel
    ? 'Relates this device\'s bookmark (created if needed) to the incident and adds a comment saying who, which hunt, and a link to the bookmark.'
    : 'No Sentinel workspace is configured: the incident number is recorded on the local bookmark only.';
  return expandCard('incident-form', {
    ...common(run, hit, { ...state, errors: [...(state.errors ?? []), ...(state.offerProblem ? [state.offerProblem] : [])] }),
    title: `Add ${truncate(cleanName(hit.deviceName), 80)} to an incident`,
    explain,
    offeredLabel: 'Open incidents of the last 7 days with this device',
    offered: offered.map((i) => ({ number: String(i.number), title: `#${i.number} ${truncate(cleanName(i.title), 80)} (${i.status}, ${formatUtc(i.createdTimeUtc)})` })),
    numberLabel: offered.length > 0 ? 'Or type an incident number' : 'Incident number',
    incidentNumber: state.incidentNumber ?? '',
    saveTitle: state.retry ? 'Retry adding' : 'Add to incident',
  });
}
