/** Rows of one summarize input (physical indexes) and the group each belongs to. */
export interface Grouping {
  rows: Uint32Array;
  groupOf: Int32Array;
  groupCount: number;
}
