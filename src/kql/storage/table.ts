import type { KustoType } from '../types';
import type { Column } from './column';

export interface Field {
  name: string;
  type: KustoType;
}

/**
 * A table in flight: named columns plus an optional selection of physical rows. Operators that only
 * choose or reorder rows (where, take, sort, top) change the selection and never copy columns.
 */
export class Table {
  constructor(
    readonly fields: readonly Field[],
    readonly columns: readonly Column[],
    /** Number of physical rows in every column. */
    readonly physicalLength: number,
    /** Physical row indexes in logical order; null means all rows in physical order. */
    readonly rows: Uint32Array | null = null,
  ) {}

  static empty(fields: readonly Field[], columns: readonly Column[]): Table {
    return new Table(fields, columns, 0, null);
  }

  get length(): number {
    return this.rows ? this.rows.length : this.physicalLength;
  }

  /** Physical index of logical row k. */
  rowAt(k: number): number {
    return this.rows ? this.rows[k] : k;
  }

  /** The physical rows in logical order (materializes 0..n-1 when there is no selection). */
  rowIndexes(): Uint32Array {
    if (this.rows) return this.rows;
    const all = new Uint32Array(this.physicalLength);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }

  indexOf(name: string): number {
    return this.fields.findIndex((f) => f.name === name);
  }

  withRows(rows: Uint32Array): Table {
    return new Table(this.fields, this.columns, this.physicalLength, rows);
  }

  /** Same rows, different columns (the columns must share this table's physical layout). */
  withColumns(fields: readonly Field[], columns: readonly Column[]): Table {
    return new Table(fields, columns, this.physicalLength, this.rows);
  }

  renamed(names: readonly string[]): Table {
    return this.withColumns(
      this.fields.map((f, i) => ({ name: names[i], type: f.type })),
      this.columns,
    );
  }

  /** Copies the selected rows into fresh columns so that physical == logical order. */
  compact(): Table {
    if (!this.rows) return this;
    const rows = this.rows;
    return new Table(
      this.fields,
      this.columns.map((c) => c.gather(rows)),
      rows.length,
      null,
    );
  }
}
