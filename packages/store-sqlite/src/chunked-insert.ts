/**
 * Inserts rows in multi-row statements. Crossing from JavaScript into SQLite costs more than
 * the insert itself for small rows: a group commit of 1,000 events and its ~2,000 history
 * lines cross 50 times in chunks of 64 instead of 3,000 times one row at a time.
 */
import type Database from "better-sqlite3";

/** Rows per multi-row INSERT (at 8 columns, 512 parameters: well under SQLite's 32,766). */
export const insert_chunk_rows = 64;

export class ChunkedInsert {
  private readonly chunk: Database.Statement<unknown[]>;
  private readonly single: Database.Statement<unknown[]>;
  private readonly width: number;

  /**
   * `head` is the statement up to `VALUES` (e.g. "INSERT INTO t (a, b)"), `tail` what follows
   * the rows (e.g. an upsert's "ON CONFLICT … DO UPDATE …").
   */
  constructor(db: Database.Database, head: string, columns: number, tail = "") {
    const row = `(${Array.from({ length: columns }, () => "?").join(", ")})`;
    this.chunk = db.prepare(
      `${head} VALUES ${Array.from({ length: insert_chunk_rows }, () => row).join(", ")} ${tail}`,
    );
    this.single = db.prepare(`${head} VALUES ${row} ${tail}`);
    this.width = columns;
  }

  /**
   * Inserts `rows` (each `columns` values, flattened into one array); returns the rowid of
   * the last row inserted, or 0 when there were none. Each statement gets its rows as one
   * array (better-sqlite3 binds an array's items in order), not spread into arguments.
   */
  run(values: readonly unknown[]): number {
    const rows = values.length / this.width;
    let rowid = 0;
    let row = 0;
    for (; row + insert_chunk_rows <= rows; row += insert_chunk_rows)
      rowid = Number(
        this.chunk.run(values.slice(row * this.width, (row + insert_chunk_rows) * this.width))
          .lastInsertRowid,
      );
    for (; row < rows; row += 1)
      rowid = Number(
        this.single.run(values.slice(row * this.width, (row + 1) * this.width)).lastInsertRowid,
      );
    return rowid;
  }
}
