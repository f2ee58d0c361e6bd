import { warmUpKql } from '../../src/kql';
import { records, run } from './helpers';

beforeAll(warmUpKql);

const devices = {
  DeviceInfo: [
    { DeviceId: 'd1', DeviceName: 'alpha', OSPlatform: 'Windows10', OSBuild: 19045 },
    { DeviceId: 'd2', DeviceName: 'beta', OSPlatform: 'Windows11', OSBuild: 22631 },
  ],
};

describe('project family', () => {
  it('projects, renames and computes columns in the order written', () => {
    const result = run('DeviceInfo | project Name = DeviceName, DeviceId, Next = OSBuild + 1, strlen(DeviceName)', devices);
    expect(result.columns).toEqual([
      { name: 'Name', type: 'string' },
      { name: 'DeviceId', type: 'string' },
      { name: 'Next', type: 'long' },
      { name: 'strlen_DeviceName', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      ['alpha', 'd1', 19046, 5],
      ['beta', 'd2', 22632, 4],
    ]);
  });

  it('removes columns with project-away (documented print a, b, c | project-away a, c)', () => {
    expect(records(run("print a='a', b='b', c='c' | project-away a, c"))).toEqual([{ b: 'b' }]);
  });

  it('keeps and reorders columns by name, wildcards included', () => {
    expect(run('DeviceInfo | project-keep Device* | take 1', devices).columns.map((c) => c.name)).toEqual([
      'DeviceId',
      'DeviceName',
      'DeviceCategory',
      'DeviceType',
    ]);
    expect(run('DeviceInfo | project DeviceId, OSBuild | project-reorder OSBuild', devices).rows[0]).toEqual([19045, 'd1']);
  });

  it('renames in place with project-rename (documented new_b=b, new_a=a)', () => {
    const result = run("print a='a', b='b', c='c' | project-rename new_b=b, new_a=a");
    expect(result.columns.map((c) => c.name)).toEqual(['new_a', 'new_b', 'c']);
    expect(result.rows).toEqual([['a', 'b', 'c']]);
  });
});

describe('extend', () => {
  it('appends new columns and replaces existing ones in place', () => {
    const result = run('DeviceInfo | project DeviceId, DeviceName | extend DeviceName = toupper(DeviceName), Len = strlen(DeviceId)', devices);
    expect(records(result)).toEqual([
      { DeviceId: 'd1', DeviceName: 'ALPHA', Len: 2 },
      { DeviceId: 'd2', DeviceName: 'BETA', Len: 2 },
    ]);
  });

  it('works after where, on the filtered rows only', () => {
    const result = run("DeviceInfo | where OSPlatform has 'Windows11' | extend Build = tostring(OSBuild) | project DeviceId, Build", devices);
    expect(result.rows).toEqual([['d2', '22631']]);
  });

  it('names unnamed expressions as the analyser does', () => {
    const result = run('DeviceInfo | project DeviceId | extend strcat(DeviceId, "!")', devices);
    expect(result.columns.map((c) => c.name)).toEqual(['DeviceId', 'Column1']);
    expect(result.rows[0]).toEqual(['d1', 'd1!']);
  });
});
