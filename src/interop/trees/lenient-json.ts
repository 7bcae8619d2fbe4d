/**
 * JSON as XGBoost writes it: standard JSON plus the bare tokens NaN, Infinity and -Infinity
 * (a categorical split's unused threshold is NaN). They are rewritten outside strings (NaN →
 * null, ±Infinity → ±1e999, which JSON.parse reads as ±Infinity) before JSON.parse.
 */
import { ModelFormatError } from '../../core/errors.js';

export function parseLenientJson(text: string, source: string): unknown {
  let out = '',
    from = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 78 && text.startsWith('NaN', i)) {
      out += `${text.slice(from, i)}null`;
      i += 2;
      from = i + 1;
    } else if (c === 73 && text.startsWith('Infinity', i)) {
      out += `${text.slice(from, i)}1e999`;
      i += 7;
      from = i + 1;
    }
  }
  out += text.slice(from);
  try {
    return JSON.parse(out);
  } catch (err) {
    throw new ModelFormatError(`${source}: not valid JSON (${(err as Error).message})`);
  }
}
