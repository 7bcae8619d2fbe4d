export { readParquet, type Column, type ReadParquetOptions, type Table } from './parquet.js';
