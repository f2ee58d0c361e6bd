/**
 * The hunt catalog: every hunt the bot can run, loaded from YAML data files.
 *
 * API for the bot (commands code against these names):
 *   const { catalog, problems } = HuntCatalog.load({ huntsDirs });  // built-ins (src/hunts/<family>/*.yaml)
 *                                                                   // + the operator's folders; a bad file
 *                                                                   // is skipped and listed in problems
 *   catalog.resolve('rmm', 'desktopnow')          → { ok, tool, kind: 'filesig', hunts: [one hunt] }
 *   catalog.resolve('rmm', 'anydesk', 'all')      → every kind of the tool (merge results with mergeByEntity)
 *   catalog.resolve('rmm', 'any')                 → the all-tools network hunt (its Tools column names the tool)
 *   catalog.resolve('rmm', 'vnc')                 → { ok: false, problem: 'ambiguous', suggestions: [...] }
 *   catalog.resolve('rmm', 'auvik')               → { ok: false, problem: 'no-hunt', message: <reason> }
 *   Problem messages never repeat the suggestions: show `suggestions` yourself ("Did you mean …?").
 *   catalog.find('vnc network')                   → hunts matching every word (for `hunts [filter]`)
 *   renderHuntQuery(hunt, { window, exclusions }) → KQL (render.ts); hunt.benignScenarios for the tag form.
 * Words are case-insensitive; kinds are filesig | process | network | all (createproc, netconn, sig… accepted).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkQuery as analyseQuery, type QueryTimeWindow, queryTokens } from '../kql';
import { loadDefaultBenignScenarios } from './benign-scenarios';
import { DEFAULT_HUNT_FOLDER_LIMITS, type HuntFolderLimits, listHuntFiles, readHuntFile, subdirectories } from './hunt-folder';
import { type QueryChecker, type QueryTokenizer, loadHuntFile } from './hunt-file';
import { SIGNAL_KINDS } from './hunt-schema';
import { type NoHuntData, parseNoHuntFile } from './no-hunt';
import { builtinHuntsDir, packageRoot } from './package-paths';
import { builtinYamlReader, type YamlReader } from './builtin-yaml';
import { shownText } from './shown-text';
import { type CatalogTool, DEFAULT_HUNT_FAMILY, type HuntDefinition, type HuntFolderSetting, huntKeyOf } from '../domain/hunt-definition';
import { didYouMean } from '../util/did-you-mean';
import { errorMessage } from '../util/error-message';

export interface CatalogLoadProblem {
  path: string;
  reason: string;
}

export type HuntResolution =
  | { ok: true; tool: CatalogTool; kind: string; hunts: HuntDefinition[] }
  | {
      ok: false;
      problem: 'unknown-family' | 'unknown-tool' | 'unknown-kind' | 'no-hunt' | 'ambiguous';
      message: string;
      suggestions: string[];
    };

export interface CatalogLoadOptions {
  /** Folders of the operator's hunt files (AppConfig.huntsDirs, from HUNTS_DIR), loaded after the built-ins. */
  huntsDirs?: readonly string[];
  /** The same with the family each folder's Azure-Sentinel files get (AppConfig.huntFolders); used instead of huntsDirs when given. */
  huntFolders?: readonly HuntFolderSetting[];
  /** KQL analyser; defaults to the embedded engine's checkQuery. */
  checkQuery?: QueryChecker;
  /** The parser's tokens of a query, to see the window placeholders outside comments and strings (user files). */
  tokenize?: QueryTokenizer;
  /** Where an Azure-Sentinel query writes its own window; defaults to the embedded engine's findQueryTimeWindow. */
  findTimeWindow?: (kql: string) => QueryTimeWindow;
  /** Size, count and depth caps for each folder (default DEFAULT_HUNT_FOLDER_LIMITS). */
  limits?: HuntFolderLimits;
  /** Reads the built-in hunt files' YAML (default: from the build's values, builtinYamlReader). */
  readBuiltinYaml?: YamlReader;
}

/** Order kinds are listed and picked in: the file signature is the cheapest and most specific signal. */
const KIND_ORDER: readonly string[] = SIGNAL_KINDS;

const KIND_WORDS: Readonly<Record<string, string>> = {
  filesig: 'filesig',
  sig: 'filesig',
  signature: 'filesig',
  signer: 'filesig',
  cert: 'filesig',
  certificate: 'filesig',
  process: 'process',
  proc: 'process',
  createproc: 'process',
  exec: 'process',
  network: 'network',
  net: 'network',
  netconn: 'network',
  url: 'network',
  all: 'all',
};

const NO_HUNT_FILE = '_no-hunt.yaml';

export class HuntCatalog {
  private readonly toolsByFamily = new Map<string, CatalogTool[]>();
  /** `<family>/<tool>/<kind>` → why that tool has no hunt of that kind. */
  private readonly missingKinds = new Map<string, string>();
  /** `<family>/<tool>` of a no-hunt tool → tools whose hunts cover it. */
  private readonly seeAlso = new Map<string, string[]>();
  /** `<family>/<tool>` → that tool's hunts in display order: every `hunt` command asks, so it is not a scan of all hunts. */
  private readonly huntsByTool = new Map<string, HuntDefinition[]>();
  /** Lower-cased id → hunt: looked up for every finished run and card action. */
  private readonly byLowerId = new Map<string, HuntDefinition>();

  private constructor(
    private readonly all: HuntDefinition[],
    noHunt: NoHuntData[],
  ) {
    for (const hunt of all) this.addHunt(hunt);
    for (const data of noHunt) this.addNoHuntData(data);
    for (const hunts of this.huntsByTool.values()) hunts.sort(compareHunts);
    for (const tools of this.toolsByFamily.values()) tools.sort((a, b) => a.tool.localeCompare(b.tool));
  }

  /**
   * Built-in hunts plus every `*.yaml` under `huntsDirs`.
   * Files whose names start with `_` are catalog data, not hunts. A file that fails validation, or
   * repeats an id or a family/tool/kind already loaded, is skipped and reported; so is a link out of
   * its folder, a file over the size cap, and anything that throws while loading (e.g. YAML aliases
   * expanding past the cap). Reasons name the field at fault, never the file's text.
   */
  static load(options: CatalogLoadOptions = {}): { catalog: HuntCatalog; problems: CatalogLoadProblem[] } {
    const checkQuery = options.checkQuery ?? analyseQuery;
    const tokenize = options.tokenize ?? queryTokens;
    const limits = options.limits ?? DEFAULT_HUNT_FOLDER_LIMITS;
    const problems: CatalogLoadProblem[] = [];
    const hunts: HuntDefinition[] = [];
    const noHunt: NoHuntData[] = [];
    const defaultScenarios = loadDefaultBenignScenarios();
    const builtinYaml = options.readBuiltinYaml ?? builtinYamlReader();

    const builtinDirs = subdirectories(builtinHuntsDir());
    const userFolders = (options.huntFolders ?? (options.huntsDirs ?? []).map((dir) => ({ dir, family: DEFAULT_HUNT_FAMILY })))
      .filter((folder) => folder.dir.trim() !== '')
      .map((folder) => ({ dir: path.resolve(folder.dir), family: folder.family }));
    const seenDirs = new Set<string>();

    for (const { dir, builtin, family } of [
      ...builtinDirs.map((dir) => ({ dir, builtin: true, family: DEFAULT_HUNT_FAMILY })),
      ...userFolders.map((folder) => ({ ...folder, builtin: false })),
    ]) {
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        problems.push({ path: dir, reason: 'hunt folder does not exist' });
        continue;
      }
      const listed = listHuntFiles(dir, limits);
      problems.push(...listed.problems.map((p) => ({ path: builtin ? path.relative(packageRoot(), p.path) : p.path, reason: p.reason })));
      for (const file of listed.files) {
        const shownPath = builtin ? path.relative(packageRoot(), file.path) : file.path;
        // One hostile or broken file must never stop the others (or the bot) from loading.
        try {
          const read = readHuntFile(file, limits);
          if ('reason' in read) {
            problems.push({ path: shownPath, reason: read.reason });
            continue;
          }
          const text = read.text;
          if (path.basename(file.path) === NO_HUNT_FILE) {
            const parsed = parseNoHuntFile(text);
            if (parsed.data) noHunt.push(parsed.data);
            else problems.push({ path: shownPath, reason: parsed.problems.join('; ') });
            continue;
          }
          if (path.basename(file.path).startsWith('_')) continue;
          const result = loadHuntFile(text, builtin ? 'builtin' : file.path, {
            defaultScenarios,
            checkQuery,
            withExclusionFilter: !builtin,
            tokenize: builtin ? undefined : tokenize,
            family,
            findTimeWindow: options.findTimeWindow,
            readYaml: builtin ? builtinYaml : undefined,
          });
          if (!result.ok) {
            problems.push({ path: shownPath, reason: result.reason });
            continue;
          }
          const clash = duplicateOf(result.hunt, hunts);
          if (clash) problems.push({ path: shownPath, reason: clash });
          else hunts.push(result.hunt);
        } catch (error) {
          problems.push({ path: shownPath, reason: `could not be loaded: ${shownText(errorMessage(error).split('\n')[0], 160)}` });
        }
      }
    }
    return { catalog: new HuntCatalog(hunts, noHunt), problems };
  }

  /** A catalog over given hunts (tests, tools); no files are read. */
  static fromHunts(hunts: HuntDefinition[], noHunt: NoHuntData[] = []): HuntCatalog {
    return new HuntCatalog([...hunts], noHunt);
  }

  get size(): number {
    return this.all.length;
  }

  hunts(): HuntDefinition[] {
    return [...this.all];
  }

  families(): string[] {
    return [...this.toolsByFamily.keys()].sort();
  }

  tools(family: string): CatalogTool[] {
    return (this.toolsByFamily.get(family.toLowerCase()) ?? []).map((tool) => ({ ...tool, aliases: [...tool.aliases], kinds: [...tool.kinds] }));
  }

  /** The hunt key tags for a tool are stored under, found by the tool's display name (what all-tools hunts name). */
  huntKeyOfTool(family: string, toolName: string): string | undefined {
    const tool = (this.toolsByFamily.get(family.toLowerCase()) ?? []).find((t) => t.toolName.toLowerCase() === toolName.toLowerCase());
    return tool ? `${tool.family}/${tool.tool}` : undefined;
  }

  /**
   * What a stored tag's scenario id is called: the title the tool's own hunts give it, else the title
   * another hunt gives it (every hunt offers the shared defaults; this covers tools with no hunt), else
   * the id itself (a scenario no hunt offers any more).
   */
  scenarioTitle(huntKey: string, scenarioId: string): string {
    const own = this.all.filter((hunt) => huntKeyOf(hunt) === huntKey);
    for (const hunt of [...own, ...this.all]) {
      const scenario = hunt.benignScenarios.find((s) => s.id === scenarioId);
      if (scenario) return scenario.title;
    }
    return scenarioId;
  }

  byId(id: string): HuntDefinition | undefined {
    return this.byLowerId.get(id.toLowerCase());
  }

  resolve(family: string, toolWord: string, kindWord?: string): HuntResolution {
    const familyWord = family.trim().toLowerCase();
    const tools = this.toolsByFamily.get(familyWord);
    if (!tools) {
      return {
        ok: false,
        problem: 'unknown-family',
        message: `There is no hunt family "${family}". Families: ${this.families().join(', ')}.`,
        suggestions: didYouMean(familyWord, this.families()),
      };
    }
    const word = toolWord.trim().toLowerCase();
    const found = findTool(tools, word);
    if (found.length > 1) {
      const names = found.map((t) => t.tool);
      return {
        ok: false,
        problem: 'ambiguous',
        message: `"${toolWord}" could mean ${listWords(found.map((t) => t.toolName))}; name one.`,
        suggestions: names,
      };
    }
    const tool = found[0];
    if (!tool) {
      const suggestions = didYouMean(word, tools.flatMap((t) => [t.tool, ...t.aliases]));
      return {
        ok: false,
        problem: 'unknown-tool',
        message: `There is no ${familyWord} hunt for "${toolWord}".`,
        suggestions,
      };
    }
    if (tool.kinds.length === 0) {
      const seeAlso = this.seeAlso.get(`${tool.family}/${tool.tool}`) ?? [];
      return {
        ok: false,
        problem: 'no-hunt',
        message: `${tool.toolName} has no hunt: ${tool.noHuntReason ?? 'no indicators are known'}.`,
        suggestions: seeAlso,
      };
    }
    return this.resolveKind(tool, kindWord);
  }

  /**
   * Hunts whose family, tool, name, aliases, kind, tactics, techniques or (Azure-Sentinel hunts)
   * description match every word of `text` (all hunts when empty).
   */
  find(text: string): HuntDefinition[] {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    return this.all
      .filter((hunt) => {
        // An RMM hunt's description names look-alike tools, so only Azure-Sentinel hunts are searched by description.
        const description = hunt.format === 'sentinel' ? [hunt.description] : [];
        const haystack = [hunt.family, hunt.tool, hunt.toolName, hunt.kind, hunt.name, ...description, ...hunt.aliases, ...hunt.tactics, ...hunt.relevantTechniques].map(
          (s) => s.toLowerCase(),
        );
        return words.every((w) => haystack.some((field) => field.includes(w)));
      })
      .sort(compareHunts);
  }

  private resolveKind(tool: CatalogTool, kindWord: string | undefined): HuntResolution {
    const toolHunts = this.huntsByTool.get(`${tool.family}/${tool.tool}`) ?? [];
    if (kindWord === undefined || kindWord.trim() === '') {
      const kind = tool.defaultKind ?? tool.kinds[0];
      return { ok: true, tool, kind, hunts: toolHunts.filter((h) => h.kind === kind) };
    }
    const typed = kindWord.trim().toLowerCase();
    const kind = KIND_WORDS[typed] ?? (tool.kinds.includes(typed) ? typed : undefined);
    if (kind === 'all') return { ok: true, tool, kind, hunts: [...toolHunts] };
    if (kind === undefined) {
      return {
        ok: false,
        problem: 'unknown-kind',
        message: `"${kindWord}" is not a hunt kind; ${tool.toolName} has ${listWords([...tool.kinds, 'all'])}.`,
        suggestions: [...tool.kinds, 'all'],
      };
    }
    const hunts = toolHunts.filter((h) => h.kind === kind);
    if (hunts.length === 0) {
      const reason = this.missingKinds.get(`${tool.family}/${tool.tool}/${kind}`);
      return {
        ok: false,
        problem: 'no-hunt',
        message: `${tool.toolName} has no ${kind} hunt${reason ? `: ${reason}` : ''}. It has ${listWords(tool.kinds)}.`,
        suggestions: [...tool.kinds],
      };
    }
    return { ok: true, tool, kind, hunts };
  }

  private addHunt(hunt: HuntDefinition): void {
    const key = `${hunt.family}/${hunt.tool}`;
    const toolHunts = this.huntsByTool.get(key);
    if (toolHunts) toolHunts.push(hunt);
    else this.huntsByTool.set(key, [hunt]);
    // The first of two ids differing only in case wins, as the scan it replaces found it.
    if (!this.byLowerId.has(hunt.id.toLowerCase())) this.byLowerId.set(hunt.id.toLowerCase(), hunt);
    const tool = this.toolEntry(hunt.family, hunt.tool, hunt.toolName);
    for (const alias of hunt.aliases) if (!tool.aliases.includes(alias)) tool.aliases.push(alias);
    if (!tool.kinds.includes(hunt.kind)) tool.kinds.push(hunt.kind);
    tool.kinds.sort((a, b) => kindRank(a) - kindRank(b));
    tool.defaultKind = tool.kinds.includes('filesig') ? 'filesig' : tool.kinds[0];
    delete tool.noHuntReason;
  }

  private addNoHuntData(data: NoHuntData): void {
    for (const gap of data.tools) {
      const tool = this.toolEntry(data.family, gap.tool, gap.toolName);
      if (tool.kinds.length > 0) continue; // a hunt file (e.g. from HUNTS_DIR) now covers the tool
      for (const alias of gap.aliases) if (!tool.aliases.includes(alias)) tool.aliases.push(alias);
      tool.noHuntReason = gap.reason;
      this.seeAlso.set(`${data.family}/${gap.tool}`, gap.seeAlso);
    }
    for (const gap of data.kinds) this.missingKinds.set(`${data.family}/${gap.tool}/${gap.kind}`, gap.reason);
  }

  private toolEntry(family: string, toolWord: string, toolName: string): CatalogTool {
    let tools = this.toolsByFamily.get(family);
    if (!tools) this.toolsByFamily.set(family, (tools = []));
    let tool = tools.find((t) => t.tool === toolWord);
    if (!tool) tools.push((tool = { family, tool: toolWord, toolName, aliases: [], kinds: [] }));
    return tool;
  }
}

/** `a, b or c`. */
function listWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The tool word itself wins; otherwise every tool with that alias or display name (several → ambiguous). */
function findTool(tools: readonly CatalogTool[], word: string): CatalogTool[] {
  const exact = tools.find((t) => t.tool === word);
  if (exact) return [exact];
  const squashed = squash(word);
  return tools.filter((t) => t.aliases.includes(word) || squash(t.toolName) === squashed || squash(t.tool) === squashed);
}

/** `Chrome Remote-Desktop` → `chromeremotedesktop`, so spacing and punctuation do not matter. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank < 0 ? KIND_ORDER.length : rank;
}

function compareHunts(a: HuntDefinition, b: HuntDefinition): number {
  return a.family.localeCompare(b.family) || a.tool.localeCompare(b.tool) || kindRank(a.kind) - kindRank(b.kind);
}

function duplicateOf(hunt: HuntDefinition, loaded: readonly HuntDefinition[]): string | undefined {
  const sameId = loaded.find((h) => h.id.toLowerCase() === hunt.id.toLowerCase());
  if (sameId) return `id ${hunt.id} is already used by ${sameId.name} (${sameId.source})`;
  const sameSlot = loaded.find((h) => h.family === hunt.family && h.tool === hunt.tool && h.kind === hunt.kind);
  if (sameSlot) return `${hunt.family} ${hunt.tool} ${hunt.kind} is already defined by ${sameSlot.name} (${sameSlot.source})`;
  return undefined;
}
