/**
 * What a result cannot vouch for because of the data behind it: a table the query reads that holds
 * no rows ("0 devices" would then only mean "could not look"), or rows of it no hunt can see.
 */
export interface DataWarning {
  table: string;
  kind: 'no-data' | 'rows-left-out';
  message: string;
}
