/**
 * Date text as epoch milliseconds, the one reading shared by `kiln train` (datetime columns read
 * as text) and the HTTP server (datetime fields sent as strings), so both see a date alike.
 */

/** Epoch ms of an ISO 8601 date (or anything Date.parse reads), or of text that is a number of ms; NaN when neither. */
export function parseDateText(s: string): number {
  const n = Number(s);
  return s.trim() !== '' && Number.isFinite(n) ? n : Date.parse(s);
}
