/**
 * Date text with a strftime-style format to epoch milliseconds (UTC), the subset of Python's
 * strptime that data files use:
 *   %Y year (4 digits)  %y year (2 digits: 69–99 → 19xx, 00–68 → 20xx)  %m month  %d day
 *   %H hour (00–23)  %I hour (01–12) with %p (AM/PM)  %M minute  %S second
 *   %f fraction of a second (1–6 digits)  %j day of the year  %b/%B month name  %a/%A weekday
 *   name (read, not checked)  %z offset (+HHMM, +HH:MM or Z; converted to UTC)  %% a '%'
 * Numbers take one or two digits where Python allows it; whitespace in the format matches any
 * run of whitespace; everything else must match literally, and the whole text must be used.
 * Without %z a time is read as UTC, as Parquet timestamps and the CSV reader read them.
 */
import { ParamError } from '../../core/errors.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

interface Fields {
  year: number;
  month: number;
  day: number;
  yday: number;
  hour: number;
  pm: number;
  minute: number;
  second: number;
  micro: number;
  offsetMin: number;
}

type Step = (s: string, at: number, f: Fields) => number; // new position, or −1 when the text does not match

const digits =
  (min: number, max: number, set: (f: Fields, v: number) => void, lo: number, hi: number): Step =>
  (s, at, f) => {
    let end = at,
      v = 0;
    while (end < s.length && end - at < max && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) v = v * 10 + s.charCodeAt(end++) - 48;
    if (end - at < min || v < lo || v > hi) return -1;
    set(f, v);
    return end;
  };

const names =
  (list: string[], set: (f: Fields, i: number) => void): Step =>
  (s, at, f) => {
    const rest = s.slice(at, at + 9).toLowerCase();
    for (let i = 0; i < list.length; i++) {
      for (const form of [list[i], list[i].slice(0, 3)])
        if (rest.startsWith(form)) {
          set(f, i);
          return at + form.length;
        }
    }
    return -1;
  };

const DIRECTIVES: Record<string, Step> = {
  Y: digits(4, 4, (f, v) => (f.year = v), 1, 9999),
  y: digits(2, 2, (f, v) => (f.year = v < 69 ? 2000 + v : 1900 + v), 0, 99),
  m: digits(1, 2, (f, v) => (f.month = v), 1, 12),
  d: digits(1, 2, (f, v) => (f.day = v), 1, 31),
  j: digits(1, 3, (f, v) => (f.yday = v), 1, 366),
  H: digits(1, 2, (f, v) => (f.hour = v), 0, 23),
  I: digits(1, 2, (f, v) => (f.hour = v % 12), 1, 12),
  M: digits(1, 2, (f, v) => (f.minute = v), 0, 59),
  S: digits(1, 2, (f, v) => (f.second = v), 0, 59),
  f: (s, at, f) => {
    let end = at;
    while (end < s.length && end - at < 6 && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    if (end === at) return -1;
    f.micro = Number(s.slice(at, end).padEnd(6, '0'));
    return end;
  },
  p: (s, at, f) => {
    const t = s.slice(at, at + 2).toUpperCase();
    if (t !== 'AM' && t !== 'PM') return -1;
    f.pm = t === 'PM' ? 1 : 0;
    return at + 2;
  },
  b: names(MONTHS, (f, i) => (f.month = i + 1)),
  B: names(MONTHS, (f, i) => (f.month = i + 1)),
  a: names(DAYS, () => {}),
  A: names(DAYS, () => {}),
  z: (s, at, f) => {
    if (s[at] === 'Z') {
      f.offsetMin = 0;
      return at + 1;
    }
    const m = /^([+-])(\d\d):?(\d\d)/.exec(s.slice(at, at + 6));
    if (!m) return -1;
    f.offsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    return at + m[0].length;
  },
};

/** Days since 1970-01-01 of a proleptic Gregorian date (valid for any year). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400),
    yoe = y - era * 400,
    doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1,
    doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** A parser of `format`: text → epoch ms, or NaN when the text does not fit the format. */
export function compileFormat(format: string): (text: string) => number {
  if (typeof format !== 'string' || format.length === 0)
    throw new ParamError('parseDates: format must be a non-empty strptime-style string such as "%Y-%m-%d %H:%M"');
  const steps: Step[] = [];
  let hasI = false,
    hasP = false;
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '%') {
      const d = format[++i];
      if (d === '%') steps.push(literal('%'));
      else if (d !== undefined && DIRECTIVES[d]) {
        steps.push(DIRECTIVES[d]);
        hasI ||= d === 'I';
        hasP ||= d === 'p';
      } else throw new ParamError(`parseDates: format directive %${d ?? ''} is not supported; use %Y %y %m %d %j %H %I %p %M %S %f %b %B %a %A %z %%`);
    } else if (/\s/.test(ch)) {
      while (i + 1 < format.length && /\s/.test(format[i + 1])) i++;
      steps.push((s, at) => {
        while (at < s.length && /\s/.test(s[at])) at++;
        return at;
      });
    } else steps.push(literal(ch));
  }
  return (text: string) => {
    const f: Fields = { year: 1900, month: 1, day: 1, yday: 0, hour: 0, pm: -1, minute: 0, second: 0, micro: 0, offsetMin: 0 };
    let at = 0;
    for (const step of steps) {
      at = step(text, at, f);
      if (at < 0) return NaN;
    }
    if (at !== text.length) return NaN;
    if (hasI && hasP && f.pm === 1) f.hour += 12;
    let days: number;
    if (f.yday > 0) {
      if (f.yday > (leap(f.year) ? 366 : 365)) return NaN;
      days = daysFromCivil(f.year, 1, 1) + f.yday - 1;
    } else {
      if (f.day > monthDays(f.year, f.month)) return NaN;
      days = daysFromCivil(f.year, f.month, f.day);
    }
    return ((days * 24 + f.hour) * 60 + f.minute - f.offsetMin) * 60_000 + f.second * 1000 + f.micro / 1000;
  };
}

function literal(ch: string): Step {
  return (s, at) => (s[at] === ch ? at + 1 : -1);
}
