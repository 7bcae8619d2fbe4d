/** Optional bearer-token auth: `Authorization: Bearer <token>`, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
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

/** Whether an address is reachable only from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}
