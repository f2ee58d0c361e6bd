import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { Template } from 'adaptivecards-templating';
import * as cardTemplates from '../../src/cards/card-templates';
import { preparedTemplateReader, writePreparedTemplates } from '../../src/cards/prepared-templates';
import { errorCard, resultCard, runningCard, tagFormCard } from '../../src/cards/run-cards';
import type { DeviceHit } from '../../src/domain/hunt-run';
import { packageRoot } from '../../src/package-root';
import { finishedRun, stillRunning } from '../support/run-fixtures';

const CARDS = path.join(packageRoot(), 'cards');
const templateText = (name: string) => fs.readFileSync(path.join(CARDS, name), 'utf8');
const TEMPLATES = fs.readdirSync(CARDS).filter((name) => name.endsWith('.json'));

/** What expanding gives: the card, or the error it throws (so two templates that both fail compare too). */
function expansion(template: Template, data: object): unknown {
  try {
    return { card: template.expand({ $root: data }) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const parsed = (text: string) => new Template(JSON.parse(text));

/** The (template, data) pairs the bot's result, running, error and tag-form cards are expanded from, captured as the card builders call expandCard. */
function dataOfBotCards(): Array<{ name: cardTemplates.CardTemplateName; data: object }> {
  const hits: DeviceHit[] = Array.from({ length: 3 }, (_, i) => ({
    deviceId: `dev-${i}`,
    deviceName: `fin-ws-00${i}`,
    firstSeen: '2026-11-25T10:00:00.0000000Z',
    lastSeen: '2026-11-27T10:00:00.0000000Z',
    count: i + 1,
    reports: [1, 2],
    signals: [],
    evidence: [],
  }));
  const run = finishedRun({ hits, totalEvents: 6, queries: [{ huntId: 'h', kind: 'filesig', kql: "DeviceFileCertificateInfo | where Signer has 'NCH'", durationMs: 12, rowCount: 3 }] });
  const captured: Array<{ name: cardTemplates.CardTemplateName; data: object }> = [];
  const spy = jest.spyOn(cardTemplates, 'expandCard').mockImplementation((name, data) => (captured.push({ name, data }), {} as never));
  try {
    resultCard(run);
    resultCard(run, { page: 1, showHidden: true });
    runningCard(stillRunning(run), { queuePosition: 2 });
    errorCard('The hunt failed', 'The query timed out', 'Try a shorter window', 'corr-1');
    tagFormCard(run, hits[1], { view: { page: 1 } });
  } finally {
    spy.mockRestore();
  }
  return captured;
}

describe("the build's prepared card templates", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepared-templates-'));
    file = path.join(dir, 'cards.prepared.json');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('keeps every card template, and each expands exactly as its parsed template does', () => {
    expect(writePreparedTemplates(file)).toBe(TEMPLATES.length);
    const read = preparedTemplateReader(file);
    for (const name of TEMPLATES) {
      const text = templateText(name);
      for (const data of [{}, { title: 'x', entries: [{ headline: 'h', detail: 'd' }], rows: [], hits: [] }]) {
        expect(expansion(read(text), data)).toStrictEqual(expansion(parsed(text), data));
      }
    }
  });

  test("expands the bot's result, running, error and tag-form cards exactly as the parsed templates do", () => {
    writePreparedTemplates(file);
    const read = preparedTemplateReader(file);
    const cards = dataOfBotCards();
    expect(new Set(cards.map((c) => c.name))).toEqual(new Set(['result', 'running', 'error', 'tag-form']));
    for (const { name, data } of cards) {
      const text = templateText(`${name}.json`);
      const card = expansion(read(text), data);
      expect(card).toStrictEqual(expansion(parsed(text), data));
      expect(card).toHaveProperty('card.type', 'AdaptiveCard');
    }
  });

  describe('used only for the text and libraries it was made from', () => {
    /** running.json's kept expressions with the first replaced by the constant "planted", under `fields` of the file. */
    function plantIn(fields: { format?: number; engine?: string } = {}): string {
      writePreparedTemplates(file);
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: number; engine: string; templates: Record<string, unknown[]> };
      const text = templateText('running.json');
      const hash = createHash('sha256').update(text).digest('hex');
      const expressions = kept.templates[hash];
      fs.writeFileSync(file, JSON.stringify({ ...kept, ...fields, templates: { [hash]: [{ v: 'planted' }, ...expressions.slice(1)] } }));
      return text;
    }
    const data = { title: 'DesktopNow · file signature', subtitle: 'rmm', windowText: '5d', requestedBy: 'Alice', queueText: '' };
    const shows = (template: Template) => JSON.stringify(template.expand({ $root: data })).includes('planted');

    test('a file with the current format and libraries is read (a planted expression shows)', () => {
      const text = plantIn();
      expect(shows(preparedTemplateReader(file)(text))).toBe(true);
      expect(shows(parsed(text))).toBe(false);
    });

    test('a template text the build did not see (an edited card) is parsed', () => {
      const text = plantIn();
      const edited = text.replace('}', ', "speak": "${title}" }');
      expect(shows(preparedTemplateReader(file)(edited))).toBe(false);
      expect(expansion(preparedTemplateReader(file)(edited), data)).toStrictEqual(expansion(parsed(edited), data));
    });

    test('nothing is read from a file of another format, of other library releases, or not JSON', () => {
      const { format, engine } = JSON.parse((writePreparedTemplates(file), fs.readFileSync(file, 'utf8'))) as { format: number; engine: string };
      const text = plantIn({ format: format + 1 });
      expect(shows(preparedTemplateReader(file)(text))).toBe(false);
      plantIn({ engine: engine.replace(/adaptive-expressions \S+/, 'adaptive-expressions 0.0.1') });
      expect(shows(preparedTemplateReader(file)(text))).toBe(false);
      fs.writeFileSync(file, 'not json');
      expect(expansion(preparedTemplateReader(file)(text), data)).toStrictEqual(expansion(parsed(text), data));
    });

    test('kept expressions that do not fit the template (too few, too many, not expressions) are not used: it is parsed', () => {
      const text = templateText('running.json');
      const hash = createHash('sha256').update(text).digest('hex');
      writePreparedTemplates(file);
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { templates: Record<string, unknown[]> };
      const expressions = kept.templates[hash];
      for (const damaged of [expressions.slice(1), [...expressions, { v: 'extra' }], expressions.map(() => ({ t: 'noSuchShape' })), expressions.map(() => 42)]) {
        fs.writeFileSync(file, JSON.stringify({ ...kept, templates: { [hash]: damaged } }));
        expect(expansion(preparedTemplateReader(file)(text), data)).toStrictEqual(expansion(parsed(text), data));
      }
    });
  });
});
