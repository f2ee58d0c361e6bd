import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandRegistry } from '../../src/commands/command-registry';
import type { CommandSpec } from '../../src/commands/command-spec';
import { exclusionsCommand, untagCommand } from '../../src/commands/exclusions-command';
import { helpCommand } from '../../src/commands/help-command';
import { huntCommand } from '../../src/commands/hunt-command';
import { lookupCommand } from '../../src/commands/lookup-command';
import { huntsCommand } from '../../src/commands/hunts-command';
import { silentLogger } from '../../src/logging/logger';
import { buildManifest, Manifest } from '../../src/packaging/build-manifest';
import { validateManifest } from '../../src/packaging/manifest-schema';
import { RunRegistry } from '../../src/runs/run-registry';
import { MemoryStateStore } from '../../src/state/memory-state-store';
import { SqliteExclusionStore } from '../../src/stores/sqlite-exclusion-store';
import { TagService } from '../../src/tags/tag-service';
import { bookmarksCommand } from '../../src/commands/bookmarks-command';
import { auditCommand } from '../../src/commands/audit-command';
import { BookmarkService } from '../../src/escalation/bookmark-service';
import { SqliteBookmarkStore } from '../../src/stores/sqlite-bookmark-store';
import { catalogWithoutAnalysis } from '../hunts/hunt-fixtures';
import { SAMPLE_ENV } from './helpers/sample';

type ManifestCommand = { title: string; description: string };
type Bot = { scopes: string[]; commandLists: Array<{ scopes: string[]; commands: ManifestCommand[] }> };

/** The command factories src/index.ts registers, in its order. */
const FACTORIES = [huntCommand, lookupCommand, huntsCommand, exclusionsCommand, untagCommand, bookmarksCommand, auditCommand, helpCommand];

const store = new SqliteExclusionStore(':memory:');
const bookmarkStore = new SqliteBookmarkStore(':memory:');
afterAll(async () => {
  await store.close();
  await bookmarkStore.close();
});

/** The bot's command registry, built from the same factories as src/index.ts with real services. */
function botCommands(): readonly CommandSpec[] {
  const catalog = catalogWithoutAnalysis();
  const runs = new RunRegistry(new MemoryStateStore());
  const tags = new TagService(store, runs, silentLogger);
  const registry = new CommandRegistry();
  registry
    .register(huntCommand(catalog))
    .register(lookupCommand(catalog))
    .register(huntsCommand(catalog))
    .register(exclusionsCommand(catalog, tags))
    .register(untagCommand(catalog, tags))
    .register(bookmarksCommand(new BookmarkService(bookmarkStore, runs, silentLogger, () => [])))
    .register(auditCommand(catalog, tags))
    .register(helpCommand(() => registry.specs()));
  return registry.specs();
}

function commandsIn(manifest: Manifest, scope: string): ManifestCommand[] {
  const bot = (manifest.bots as Bot[])[0];
  return bot.commandLists.filter((list) => list.scopes.includes(scope)).flatMap((list) => list.commands);
}

describe('the Teams manifest command list', () => {
  const manifest = buildManifest(SAMPLE_ENV);
  const specs = botCommands();

  test('is checked against the commands src/index.ts really registers', () => {
    const registered = [...readFileSync(join(__dirname, '../../src/index.ts'), 'utf8').matchAll(/\.register\((\w+)\(/g)].map((m) => m[1]);
    expect(registered).toEqual(FACTORIES.map((factory) => factory.name));
  });

  test('offers every command of the bot, untag included, in every scope the bot is installed in', () => {
    const scopes = (manifest.bots as Bot[])[0].scopes;
    expect(scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(specs.map((s) => s.id)).toContain('untag');
    for (const scope of scopes) {
      expect(commandsIn(manifest, scope).map((c) => c.title)).toEqual(specs.map((s) => s.id));
    }
  });

  test('gives each command its real syntax, as the help card does, and one of its examples', () => {
    for (const spec of specs) {
      const command = commandsIn(manifest, 'personal').find((c) => c.title === spec.id)!;
      expect(command.description).toContain(spec.usage);
      expect(spec.examples.some((example) => command.description.includes(example))).toBe(true);
    }
  });

  test('spells out the hunt window forms the parser accepts (minutes, hours, days)', () => {
    const hunt = commandsIn(manifest, 'personal').find((c) => c.title === 'hunt')!;
    expect(hunt.description).toContain('<n>m, <n>h or <n>d');
  });

  test('keeps each title within 32 and each description within 128 characters (the limits up to manifest v1.17), and passes the schema', () => {
    for (const { title, description } of commandsIn(manifest, 'personal')) {
      expect(title.length).toBeLessThanOrEqual(32);
      expect(description.length).toBeLessThanOrEqual(128);
    }
    expect(validateManifest(manifest)).toEqual([]);
  });

  test('is checked against the schema\'s own length limits', () => {
    const tooLong = buildManifest(SAMPLE_ENV);
    commandsIn(tooLong, 'personal')[0].description = 'x'.repeat(4001);
    expect(validateManifest(tooLong)).toEqual(['/bots/0/commandLists/0/commands/0/description must NOT have more than 4000 characters']);
  });
});
