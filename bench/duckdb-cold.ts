/**
 * DuckDB's cold load-and-query, as a process of its own (bench/cold-start.ts times it whole):
 * node duckdb-cold.js <file.jsonl> <window start ISO> <window end ISO>. Prints the group count.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { CERTIFICATE_COLUMNS_SQL, HUNT_SQL } from './hunt-sql';

async function main(): Promise<void> {
  const [file, start, end] = process.argv.slice(2);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE certs AS SELECT * FROM read_json('${file}', format='newline_delimited', columns=${CERTIFICATE_COLUMNS_SQL})`);
  const reader = await connection.runAndReadAll(HUNT_SQL, [start, end]);
  console.log(reader.getRowObjects().length);
  connection.closeSync();
  instance.closeSync();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
