import { KqlDatabase } from '../../src/kql';
import { generateTelemetry } from '../../src/data/generator';
import { HUNTING_TABLES } from '../../src/data/hunting-tables';
import { telemetryDatabase } from '../../src/data/sample-columns';

/** The bot loads the sample through telemetryDatabase; gen-data and the tests see generateTelemetry's rows. Both must be the same data. */
describe('telemetryDatabase', () => {
  const options = { seed: 11, now: new Date('2026-03-01T00:00:00Z'), devices: 20, rows: 900, huntingTables: HUNTING_TABLES };

  test('builds the same shared tables as loading generateTelemetry rows', () => {
    const provenance = { source: 'the generated sample telemetry' };
    const fromRows = KqlDatabase.fromRows(generateTelemetry(options), provenance, true).toShared();
    const fromValues = telemetryDatabase(options, provenance, true).toShared();
    expect(fromValues.tables.map((t) => [t.schema.name, t.length])).toEqual(fromRows.tables.map((t) => [t.schema.name, t.length]));
    expect(fromValues).toEqual(fromRows);
  });

  test('has the tables generateTelemetry gives for a selection, in its order', () => {
    const few = { ...options, tables: ['DeviceInfo', 'DeviceLogonEvents'], huntingTables: ['AlertInfo'] };
    const database = telemetryDatabase(few);
    expect(database.tableNames()).toEqual(Object.keys(generateTelemetry(few)));
  });
});
