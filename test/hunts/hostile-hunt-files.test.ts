import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { validateCommand } from '../../src/cli/validate-command';
import { HuntCatalog } from '../../src/hunts/catalog';
import { listHuntFiles, readHuntFile } from '../../src/hunts/hunt-folder';
import { checkWindowTokens } from '../../src/hunts/hunt-file';
import { queryTokens, warmUpKql } from '../../src/kql';
import { createLogger } from '../../src/logging/logger';
import { isRunningCard } from '../../src/cli/chat/card-text';
import { BotHarness } from '../support/bot-harness';
import { cardText } from '../support/card-text';
import { writeDesktopNowDataFolder } from '../support/telemetry-fixture';
import { catalogWithoutAnalysis, huntFileText } from './hunt-fixtures';
import { capturedIO } from '../support/captured-io';

/**
 * A HUNTS_DIR an attacker (or a careless copy) filled: each bad file is named and skipped, nothing
 * of a file's text beyond the offending key is echoed, and the bot still starts with the good hunts.
 */

const SECRET = 'hunter2-TOP-SECRET';
const BILLION_LAUGHS = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;
const COMMENTED_WINDOW = `// {{TimeStart}} {{TimeEnd}} are mentioned here only
DeviceFileCertificateInfo
| where Signer has 'Contoso Remote Ltd'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;
const STRING_WINDOW = `DeviceFileCertificateInfo
| where Signer has '{{TimeStart}}' and Timestamp <= {{TimeEnd}}
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

const UNUSED_LET_WINDOW = `let Time_start = {{TimeStart}};
let Time_end = {{TimeEnd}};
DeviceFileCertificateInfo
| where Timestamp <= Time_end and Signer has 'Contoso Remote Ltd'
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName`;

let root: string;
let huntsDir: string;
const file = (name: string) => path.join(huntsDir, name);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-hunts-'));
  huntsDir = path.join(root, 'hunts');
  fs.mkdirSync(huntsDir);
  const outside = path.join(root, 'outside-secret.txt');
  fs.writeFileSync(outside, `db_password: ${SECRET}\nkind: ${SECRET}\nid: ${SECRET}\n`);
  fs.writeFileSync(file('good.yaml'), huntFileText());
  fs.writeFileSync(file('laughs.yaml'), BILLION_LAUGHS);
  fs.symlinkSync(outside, file('link-out.yaml'));
  fs.mkdirSync(file('sub'));
  fs.symlinkSync(file('sub'), file('folder-link'));
  fs.writeFileSync(file('comment-window.yaml'), huntFileText({ id: '11111111-2222-4333-8444-555555555555', tool: 'commented', query: COMMENTED_WINDOW }));
  fs.writeFileSync(file('string-window.yaml'), huntFileText({ id: '11111111-2222-4333-8444-666666666666', tool: 'stringly', query: STRING_WINDOW }));
  fs.writeFileSync(file('unused-let.yaml'), huntFileText({ id: '11111111-2222-4333-8444-999999999999', tool: 'unusedlet', query: UNUSED_LET_WINDOW }));
  fs.writeFileSync(file('huge.yaml'), `${huntFileText({ id: '11111111-2222-4333-8444-777777777777', tool: 'huge' })}\n${'# padding\n'.repeat(40_000)}`);
  fs.writeFileSync(file('values.yaml'), `${huntFileText({ id: '11111111-2222-4333-8444-888888888888', tool: 'values' })}\nmaxWindow: ${SECRET}\n`);
  execFileSync('mkfifo', [file('pipe.yaml')]);
  await warmUpKql();
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('loading a HUNTS_DIR of hostile files', () => {
  let loaded: ReturnType<typeof HuntCatalog.load>;
  beforeAll(() => {
    loaded = HuntCatalog.load({ huntsDirs: [huntsDir] });
  });
  const reasonFor = (name: string) => loaded.problems.find((p) => p.path === file(name))?.reason;

  test('still loads the good file', () => {
    expect(loaded.catalog.resolve('rmm', 'contosoremote').ok).toBe(true);
  });

  test('names a billion-laughs file and says its aliases are over the cap', () => {
    expect(reasonFor('laughs.yaml')).toMatch(/^invalid YAML: aliases expand to more than \d+ nodes/);
  });

  test('does not follow a link to a file outside the folder', () => {
    expect(reasonFor('link-out.yaml')).toBe('is a link to a file outside the hunt folder; links out of the folder are not followed');
  });

  test('does not follow a link to a folder', () => {
    expect(reasonFor('folder-link')).toMatch(/is a link to a folder/);
  });

  test('rejects a window placeholder that appears only in a KQL comment', () => {
    expect(reasonFor('comment-window.yaml')).toMatch(/uses \{\{TimeStart\}\} only inside a comment or a string/);
    expect(reasonFor('comment-window.yaml')).toMatch(/uses \{\{TimeEnd\}\} only inside a comment or a string/);
    expect(loaded.catalog.resolve('rmm', 'commented').ok).toBe(false);
  });

  test('rejects a window placeholder that appears only inside a string literal', () => {
    expect(reasonFor('string-window.yaml')).toMatch(/uses \{\{TimeStart\}\} only inside a comment or a string/);
    expect(reasonFor('string-window.yaml')).not.toMatch(/TimeEnd/);
  });

  test('rejects a window placeholder bound by a let that the query never uses', () => {
    expect(reasonFor('unused-let.yaml')).toBe("field 'query' puts {{TimeStart}} in a let that the query never uses, so the requested window would not apply");
  });

  test('skips a file over the size cap without parsing it', () => {
    expect(reasonFor('huge.yaml')).toBe('is larger than 256 KiB, the largest hunt file read; not read');
  });

  test('skips a FIFO instead of blocking on it', () => {
    expect(reasonFor('pipe.yaml')).toBe('is not a regular file; not read');
  });

  test('names the field at fault without echoing its value', () => {
    expect(reasonFor('values.yaml')).toMatch(/^field 'maxWindow' must be a duration like 30d or 12h(;|$)/);
  });

  test('never repeats the content of any file in a problem', () => {
    expect(JSON.stringify(loaded.problems)).not.toContain(SECRET);
    expect(JSON.stringify(loaded.problems)).not.toContain('lol');
  });
});

describe('the built-in hunts (trusted, so not token-checked at start-up)', () => {
  test('each uses both window placeholders as real tokens, outside comments, strings and unused lets', () => {
    const problems = catalogWithoutAnalysis()
      .hunts()
      .map((hunt) => ({ hunt: `${hunt.tool}/${hunt.kind}`, problem: checkWindowTokens(hunt, queryTokens) }))
      .filter((p) => p.problem !== undefined);
    expect(problems).toEqual([]);
  });
});

describe('reading a listed hunt file', () => {
  test('refuses a file swapped for a link after it was listed, and a dangling link', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swap-hunts-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.yaml'), huntFileText());
      fs.symlinkSync(path.join(dir, 'gone.txt'), path.join(dir, 'dangling.yaml'));
      const { files, problems } = listHuntFiles(dir);
      expect(problems).toEqual([{ path: path.join(dir, 'dangling.yaml'), reason: 'is a link to nothing that can be read; not read' }]);
      fs.rmSync(path.join(dir, 'a.yaml'));
      fs.symlinkSync(path.join(root, 'outside-secret.txt'), path.join(dir, 'a.yaml'));
      expect(readHuntFile(files[0])).toEqual({ reason: 'became a link after it was listed; not read' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a catalog folder over the file-count cap', () => {
  test('reads the first files by name and names the folder with how many were left out', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'many-hunts-'));
    try {
      for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `_note-${i}.yaml`), 'x: 1');
      const { problems } = HuntCatalog.load({ huntsDirs: [dir], checkQuery: () => [], limits: { maxFileBytes: 1024, maxFiles: 3, maxDepth: 2 } });
      expect(problems.filter((p) => !p.path.startsWith('src'))).toEqual([
        { path: dir, reason: 'holds more than 3 hunt files; the 2 after the first 3 (by name) were not read' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('huntbot validate on the hostile folder', () => {
  test('exits 1 and names every bad file, quoting none of their content', async () => {
    const io = capturedIO();
    expect(await validateCommand([huntsDir], io)).toBe(1);
    const errors = io.stderr.join('\n');
    for (const name of ['laughs.yaml', 'link-out.yaml', 'comment-window.yaml', 'string-window.yaml', 'unused-let.yaml', 'huge.yaml', 'pipe.yaml', 'values.yaml']) {
      expect(errors).toContain(`${file(name)}: `);
    }
    expect(errors).not.toContain(SECRET);
    expect(io.stdout.join('\n')).toMatch(/1 from your folders\); 9 problems/);
  });
});

describe('the bot started on the hostile folder', () => {
  let harness: BotHarness;
  let dataDir: string;
  const logLines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    dataDir = writeDesktopNowDataFolder(new Date()).dir;
    harness = await BotHarness.start(
      { HUNT_DATA_DIR: dataDir, HUNT_STORE_PATH: path.join(root, 'huntbot.db'), HUNTS_DIR: huntsDir },
      {},
      createLogger('info', sink),
    );
  });
  afterAll(async () => {
    await harness?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('answers over HTTP and runs the good hunt from the folder', async () => {
    expect((await harness.say('hunt rmm contosoremote')).status).toBe(200);
    const running = harness.sent().find((a) => isRunningCard(harness.card(a.id)));
    expect(running).toBeDefined();
    await harness.app.runs.idle();
    const text = cardText(harness.card(running!.id));
    expect(text).toContain('Contoso Remote');
    expect(text).toContain("Signer has 'Contoso Remote Ltd'");
  });

  test('logs each skipped file by path, without its content', () => {
    const rejected = logLines.map((line) => JSON.parse(line) as { event?: string; path?: string }).filter((l) => l.event === 'hunt-file-rejected');
    expect(rejected.map((l) => l.path).sort()).toEqual(
      ['comment-window.yaml', 'folder-link', 'huge.yaml', 'laughs.yaml', 'link-out.yaml', 'pipe.yaml', 'string-window.yaml', 'unused-let.yaml', 'values.yaml']
        .map(file)
        .sort(),
    );
    expect(logLines.join('')).not.toContain(SECRET);
  });
});
