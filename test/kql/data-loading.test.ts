import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataFolder, loadTableFile } from '../../src/data/jsonl';
import { DataFileError, KqlDatabase, KqlEngine, warmUpKql } from '../../src/kql';
import { NOW } from './helpers';

beforeAll(warmUpKql);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kql-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: Array<string | object>): void {
  writeFileSync(join(dir, name), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
}

describe('loadDataFolder', () => {
  it('loads <TableName>.jsonl files typed by the Defender schema', () => {
    write('DeviceInfo.jsonl', [
      { Timestamp: '2024-05-01T10:00:00.1234567Z', DeviceId: 'd1', OSBuild: 22631, IsAzureADJoined: true, LoggedOnUsers: [{ UserName: 'a' }] },
      '',
      { Timestamp: '2024-05-02T10:00:00Z', DeviceId: 'd2', AdditionalFields: '{"k":"v"}' },
    ]);
    const db = loadDataFolder(dir);
    expect(db.tableNames()).toEqual(['DeviceInfo']);
    expect(db.rowCount('DeviceInfo')).toBe(2);
    const result = new KqlEngine(db).query('DeviceInfo | project Timestamp, DeviceId, OSBuild, IsAzureADJoined, LoggedOnUsers, k = tostring(AdditionalFields.k), DeviceName');
    expect(result.rows).toEqual([
      ['2024-05-01T10:00:00.1234567Z', 'd1', 22631, true, [{ UserName: 'a' }], '', ''],
      ['2024-05-02T10:00:00.0000000Z', 'd2', null, null, null, 'v', ''],
    ]);
  });

  it('reads tricky lines exactly as JSON.parse would', () => {
    const lines = [
      '{"DeviceId":"esc\\"aped\\\\ \\u00e9","DeviceName":"ünïcödé 名前","OSBuild":"19045","IsAzureADJoined":"true"}',
      '{ "DeviceId" : "spaced" , "OSBuild" : -12.5e1 , "LoggedOnUsers" : [ {"a": "}]"} ] , "Unknown": {"x": [1, 2]} }\r',
      '{"DeviceId":"dup","DeviceId":"last wins","OSBuild":1e3,"Timestamp":"2024-05-01 10:00","AdditionalFields":{"k":null}}',
      '{"De\\u0076iceId":"escaped key","OSBuild":null,"DeviceName":42,"Timestamp":"2024-05-01T10:00:00.123+02:00"}',
      '   ',
      '{}',
      '{"DeviceId":"","OSBuild":9007199254740993,"IsAzureADJoined":false,"Timestamp":"2024-05-01T10:00:00.1Z","PublicIP":"1.2.3.4"}',
    ];
    writeFileSync(join(dir, 'DeviceInfo.jsonl'), lines.join('\n'));
    const query = 'DeviceInfo | project DeviceId, DeviceName, OSBuild, IsAzureADJoined, LoggedOnUsers, Timestamp, AdditionalFields, PublicIP';
    const loaded = new KqlEngine(loadDataFolder(dir)).query(query);
    const parsed = lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    const reference = new KqlEngine(KqlDatabase.fromRows({ DeviceInfo: parsed })).query(query);
    expect(loaded).toEqual(reference);
    expect(loaded.rows.map((r) => r[0])).toEqual(['esc"aped\\ é', 'spaced', 'last wins', 'escaped key', '', '']);
  });

  it('keeps thousands of similar strings (shared prefix and suffix) apart', () => {
    const names = Array.from({ length: 5000 }, (_, k) => `DESKTOP-${String(k).padStart(5, '0')}.corp.contoso.com`);
    write('DeviceInfo.jsonl', names.map((n, k) => ({ DeviceId: `id-${k % 7}`, DeviceName: n })));
    const engine = new KqlEngine(loadDataFolder(dir));
    expect(engine.query('DeviceInfo | summarize dcount(DeviceName), dcount(DeviceId)').rows).toEqual([[5000, 7]]);
    expect(engine.query("DeviceInfo | where DeviceName == 'DESKTOP-04321.corp.contoso.com' | project DeviceId").rows).toEqual([['id-2']]);
  });

  it('loads a table it does not know with an inferred schema and says so in a note', () => {
    write('CustomEvents.jsonl', [{ At: '2024-05-01T10:00:00Z', Name: 'x', Count: 3, Ratio: 0.5 }, { Name: 'y', Count: 4 }]);
    const db = loadDataFolder(dir);
    expect(db.notes.join('\n')).toContain('CustomEvents');
    const result = new KqlEngine(db).query('CustomEvents | where At < now() | project Name, Count, Ratio', { now: NOW });
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['Name:string', 'Count:long', 'Ratio:real']);
    expect(result.rows).toEqual([['x', 3, 0.5]]);
  });

  it('drops a malformed line, keeps the others, and counts it for the table with the file name and line number', () => {
    write('DeviceInfo.jsonl', [{ DeviceId: 'd1' }, { DeviceId: 'd2' }, '{"DeviceId": "d3",', { DeviceId: 'd4' }]);
    const db = loadDataFolder(dir);
    expect(new KqlEngine(db).query('DeviceInfo | project DeviceId').rows).toEqual([['d1'], ['d2'], ['d4']]);
    const issues = db.provenance.tableIssues?.get('DeviceInfo') ?? [];
    expect(issues[0]).toMatch(/^1 line of DeviceInfo\.jsonl was dropped: invalid JSON \(.*\) at DeviceInfo\.jsonl:3$/);
    expect(db.notes).toContain(issues[0]);
  });

  it('drops a line whose object or array value is malformed, in a column it keeps as in one it does not', () => {
    write('DeviceInfo.jsonl', [
      { DeviceId: 'd1' },
      '{"DeviceId": "d2", "LoggedOnUsers": {"x": }}',
      '{"DeviceId": "d3", "AdditionalFields": [1, ]}',
      '{"DeviceName": "n4", "DeviceId": {"bad": tru}}',
      '{"DeviceId": "d5", "NotAColumn": [1, ]}',
      { DeviceId: 'd6', LoggedOnUsers: [{ UserName: 'a' }] },
    ]);
    const db = loadDataFolder(dir);
    expect(new KqlEngine(db).query('DeviceInfo | project DeviceId, DeviceName, LoggedOnUsers').rows).toEqual([
      ['d1', '', null],
      ['d6', '', [{ UserName: 'a' }]],
    ]);
    expect(db.provenance.tableIssues?.get('DeviceInfo')?.[0]).toMatch(/^4 lines of DeviceInfo\.jsonl were dropped: invalid JSON \(.*\) at DeviceInfo\.jsonl:2$/);
  });

  it('drops a line that is JSON but not an object, saying why', () => {
    write('DeviceInfo.jsonl', [{ DeviceId: 'd1' }, '[1, 2]', '"x"']);
    const db = loadDataFolder(dir);
    expect(db.rowCount('DeviceInfo')).toBe(1);
    expect(db.provenance.tableIssues?.get('DeviceInfo')?.[0]).toBe(
      '2 lines of DeviceInfo.jsonl were dropped: expected one JSON object per line at DeviceInfo.jsonl:2',
    );
  });

  it('finds the line of the first unparseable Timestamp past dropped and blank lines', () => {
    write('DeviceInfo.jsonl', [{ DeviceId: 'd1', Timestamp: '2024-05-01T10:00:00Z' }, 'not json', '', { DeviceId: 'd2', Timestamp: 'soon' }]);
    const db = loadDataFolder(dir);
    expect(db.provenance.tableIssues?.get('DeviceInfo')?.[1]).toBe(
      '1 of 2 rows of DeviceInfo.jsonl have no Timestamp that parses as an ISO 8601 date (first at line 4); no hunt window includes them',
    );
  });

  it('still fails loudly on a malformed line when a caller loads one file without counting', () => {
    write('DeviceInfo.jsonl', [{ DeviceId: 'd1' }, '{"DeviceId": "d3",']);
    expect(() => loadTableFile(join(dir, 'DeviceInfo.jsonl'), 'DeviceInfo', [])).toThrow(DataFileError);
  });

  it('reports a missing folder as a DataFileError', () => {
    expect(() => loadDataFolder(join(dir, 'missing'))).toThrow(DataFileError);
  });
});

describe('KqlDatabase.fromRows', () => {
  it('fills a missing TimeGenerated from Timestamp and the other way round', () => {
    const db = KqlDatabase.fromRows({
      DeviceInfo: [
        { DeviceId: 'a', Timestamp: '2024-05-01T10:00:00.1234567Z' },
        { DeviceId: 'b', TimeGenerated: '2024-05-02T10:00:00Z' },
      ],
    });
    expect(new KqlEngine(db).query('DeviceInfo | project Timestamp, TimeGenerated').rows).toEqual([
      ['2024-05-01T10:00:00.1234567Z', '2024-05-01T10:00:00.1234567Z'],
      ['2024-05-02T10:00:00.0000000Z', '2024-05-02T10:00:00.0000000Z'],
    ]);
  });

  it('types Defender tables by schema and infers other tables', () => {
    const db = KqlDatabase.fromRows({
      DeviceInfo: [{ DeviceId: 'd1', OSBuild: '19045' }],
      Extra: [{ Flag: true, When: new Date('2024-01-01T00:00:00Z'), Bag: { a: 1 } }],
    });
    expect(db.tableNames()).toEqual(['DeviceInfo', 'Extra']);
    expect(db.rowCount('Extra')).toBe(1);
    const engine = new KqlEngine(db);
    expect(engine.query('DeviceInfo | project OSBuild').rows).toEqual([[19045]]);
    const extra = engine.query('Extra');
    expect(extra.columns.map((c) => c.type)).toEqual(['bool', 'datetime', 'dynamic']);
    expect(extra.rows).toEqual([[true, '2024-01-01T00:00:00.0000000Z', { a: 1 }]]);
  });
});
