/**
 * The column table every loader returns and every tabular step takes: numeric columns as
 * Float64Array (NaN = missing), text and categorical columns as string arrays (null = missing).
 */
export type Column = Float64Array | (string | null)[];

export interface Table {
  rows: number;
  /** Columns in file order (or the order asked for). */
  columns: Record<string, Column>;
}
