import { openSqlite, preferredDriver } from '../../src/stores/sqlite-driver';

describe('the SQLite driver', () => {
  it('uses better-sqlite3 on Node 20 and the built-in node:sqlite from Node 22', () => {
    expect(preferredDriver('20.20.2')).toBe('better-sqlite3');
    expect(preferredDriver('22.13.0')).toBe('node:sqlite');
    expect(preferredDriver('24.21.0')).toBe('node:sqlite');
  });

  it('runs the statements the stores use on the driver this Node picks, and closes twice safely', () => {
    const db = openSqlite(':memory:');
    expect(db.driver).toBe(preferredDriver());
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)');
    db.prepare('INSERT INTO t (k, v) VALUES (@k, @v)').run({ k: 'a', v: 'one' });
    expect({ ...(db.prepare('SELECT v FROM t WHERE k = ?').get('a') as object) }).toEqual({ v: 'one' });
    expect(Number(db.prepare('DELETE FROM t WHERE k = ?').run('a').changes)).toBe(1);
    expect(db.prepare('SELECT * FROM t').all()).toEqual([]);
    db.close();
    expect(db.isOpen()).toBe(false);
    expect(() => db.close()).not.toThrow();
  });
});
