import type { BenignScenario } from '../domain/hunt-definition';
import { scopeOf, type Exclusion } from '../stores/exclusion-store';
import type { HitTag } from '../domain/hunt-run';

/** The card's view of a stored tag. */
export function tagOf(exclusion: Exclusion, scenarios: readonly BenignScenario[]): HitTag {
  return {
    scenarioId: exclusion.scenario,
    scenarioTitle: scenarios.find((s) => s.id === exclusion.scenario)?.title ?? exclusion.scenario,
    justification: exclusion.justification,
    byName: exclusion.taggedByName || exclusion.taggedByUpn || exclusion.taggedByAadObjectId,
    byAadObjectId: exclusion.taggedByAadObjectId,
    atUtc: exclusion.taggedAtUtc,
    expiresAtUtc: exclusion.expiresAtUtc,
    searchKey: exclusion.searchKey,
    scope: scopeOf(exclusion),
  };
}
