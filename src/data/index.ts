export { readParquet, type ReadParquetOptions } from './parquet.js';
export type { Column, Table } from './table.js';
export { readCsv, type CsvColumnType, type CsvTable, type ReadCsvOptions } from './csv.js';
export { dropDuplicates, filterRows, type DropDuplicatesOptions } from './clean.js';
export { inferSchema, validateSchema, type ColumnSchema, type Schema, type SchemaViolation } from './schema.js';
export { fromRecords } from './records.js';
export { Frame, type CategoricalSummary, type FrameColumn, type NumericSummary } from './frame.js';
export { frameFromArrow, frameToArrow, readArrow } from './arrow.js';
