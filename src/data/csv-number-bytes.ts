/**
 * CSV lines of numeric columns as bytes (ASCII): each cell String(v), NaN empty, cells joined by
 * commas, each line ended by \n — csvField's text, written into one buffer of its own (so it can be
 * transferred between threads) without building a string per line.
 */

/** The longest text String(v) gives for a double ("-1.2345678901234567e-308"), plus a separator. */
const MAX_CELL = 25;

export function csvNumberBytes(columns: Float64Array[], rows: number): Uint8Array {
  const buf = Buffer.allocUnsafeSlow(rows * Math.max(1, columns.length) * MAX_CELL);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) buf[o++] = 44; // ,
      const v = columns[c][r];
      if (v === v) o += buf.write(`${v}`, o, 'latin1'); // v !== v: NaN, written empty
    }
    buf[o++] = 10; // \n
  }
  return new Uint8Array(buf.buffer, 0, o);
}
