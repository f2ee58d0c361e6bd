import type { TableSchema } from '../kql/schema';
import { JsonLinesColumnLoader } from '../kql/storage/jsonl-columns';
import { shareTable, type SharedTable } from '../kql/storage/shared-table';
import { type DroppedLines, forEachLine, guarded } from './jsonl';

/**
 * One piece of a parallel load: the lines of a byte range of a JSONL file (starting after a
 * newline), parsed into a table of its own in shared memory. Line numbers are relative to the range;
 * whoever puts the pieces together knows how many lines came before.
 */
export interface ChunkTask {
  file: string;
  schema: TableSchema;
  start: number;
  end: number;
  /** Sizes the columns once (see JsonLinesColumnLoader). */
  expectedRows: number;
}

export interface ChunkResult {
  table: SharedTable;
  /** Lines in the range, blank and dropped ones included. */
  lines: number;
  /** Lines that are not one JSON object, numbered from 1 within the range, and the first reason. */
  dropped: DroppedLines;
}

/** Parses one chunk exactly as the whole-file loader parses those lines. */
export function parseChunk(task: ChunkTask): ChunkResult {
  const loader = new JsonLinesColumnLoader(task.schema, true, task.expectedRows);
  const dropped: DroppedLines = { lines: [] };
  let lines = 0;
  forEachLine(
    task.file,
    (buf, start, end, lineNo) => {
      lines = lineNo;
      guarded(dropped, lineNo, () => loader.addLine(buf, start, end, lineNo));
    },
    task.start,
    task.end,
  );
  return { table: shareTable(task.schema, loader.build()), lines, dropped };
}
