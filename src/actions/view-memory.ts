import type { ResultView } from '../cards/run-cards';

/** Views remembered at once; beyond it the oldest is forgotten (a forgotten view is the first page). */
const MAX_VIEWS = 5000;

/**
 * The page (and "show hidden") each person last looked at on each result, so a Universal Actions refresh can
 * give everyone their own page with the current tags. In memory, per instance: after a restart or on another
 * instance a refresh shows the first page.
 */
export class ViewMemory {
  private readonly views = new Map<string, ResultView>();

  remember(runId: string, person: string, view: ResultView): void {
    const key = `${runId}|${person}`;
    this.views.delete(key);
    this.views.set(key, view);
    if (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value as string);
  }

  viewOf(runId: string, person: string): ResultView {
    return this.views.get(`${runId}|${person}`) ?? {};
  }
}
