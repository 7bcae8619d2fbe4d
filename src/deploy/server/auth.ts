/** Optional bearer-token auth: `Authorization: Bearer <token>`, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A checker for the token, or null when auth is off (no token given and KILN_SERVER_TOKEN unset or empty). */
export function bearerAuth(token: string | undefined): ((header: string | undefined) => void) | null {
  if (token === undefined || token === '') return null;
  const expected = digest(token);
  return (header) => {
    if (header === undefined || header === '') {
      throw new HttpError(401, 'E_UNAUTHORIZED', 'this server needs a bearer token: send Authorization: Bearer <token>');
    }
    const m = /^Bearer\s+(.+)$/i.exec(header);
    // hashing both sides makes the comparison constant-time whatever the lengths
    if (m === null || !timingSafeEqual(digest(m[1].trim()), expected)) {
      throw new HttpError(401, 'E_UNAUTHORIZED', 'the bearer token is wrong; send Authorization: Bearer <the token the server was started with>');
    }
  };
}
