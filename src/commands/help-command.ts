import { expandCard } from '../cards/card-templates';
import type { CommandReply } from './command-reply';
import type { CommandSpec } from './command-spec';

/** `help`: one card listing every registered command with its usage and examples. */
export function helpCommand(listSpecs: () => readonly CommandSpec[]): CommandSpec {
  return {
    id: 'help',
    aliases: ['?'],
    usage: 'help',
    summary: 'Show the commands and examples.',
    examples: ['help'],
    permission: 'anyone',
    handle: (): CommandReply => ({
      kind: 'card',
      summary: 'Hunt bot help',
      card: expandCard('help', {
        intro:
          'I run threat hunts against Microsoft Sentinel (or my embedded engine) and show the hits per device. Mention me with a command:',
        commands: listSpecs().map((spec) => ({
          usage: spec.usage,
          summary: spec.summary,
          examples: spec.examples,
        })),
        footer:
          'Windows: <n>m, <n>h or <n>d (default 5d, at most 30d), since <datetime>, <datetime>..<datetime> or around <datetime> ±<n>h; ' +
          'datetimes are ISO 8601 (2026-12-01T14:05, 2026-12-01 14:05Z, 2026-12-01T14:05+01:00), in your Teams time zone unless they have an offset. ' +
          'Type `cancel` to leave a question I asked you.',
      }),
    }),
  };
}
