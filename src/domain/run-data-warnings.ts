import type { HuntRun } from './hunt-run';

/** What a finished run's data could not vouch for: every message once, and the tables it could not look at. */
export function runDataWarnings(run: Pick<HuntRun, 'queries'>): { messages: string[]; couldNotLook: string[]; blindTables: string[] } {
  const messages: string[] = [];
  const couldNotLook: string[] = [];
  const blindTables: string[] = [];
  for (const warning of run.queries.flatMap((q) => q.dataWarnings ?? [])) {
    if (messages.includes(warning.message)) continue;
    messages.push(warning.message);
    if (warning.kind === 'no-data') {
      couldNotLook.push(warning.message);
      blindTables.push(warning.table);
    }
  }
  return { messages, couldNotLook, blindTables };
}
