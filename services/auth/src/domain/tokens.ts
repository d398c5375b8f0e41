import crypto from 'crypto';
import jwt from 'jsonwebtoken';
import { ROLE_NAMES, type RoleName } from '@usher/contracts';
import type { LoadedKey } from './keys';

export interface AccessClaims {
  iss: string;
  sub: string;
  sid: string;
  jti: string;
  /** Unix seconds. */
  iat: number;
  exp: number;
  type: 'access';
  role: RoleName;
  verified: boolean;
}

export function signAccessToken(key: LoadedKey, claims: AccessClaims): string {
  return jwt.sign(claims, key.privateKey, { algorithm: 'ES256', keyid: key.kid });
}

/** The header of a compact JWS, or undefined when it is not one. Cheap: no payload parsing. */
export function decodeHeader(token: string): { alg?: unknown; kid?: unknown } | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return header && typeof header === 'object' ? (header as { alg?: unknown; kid?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies signature, expiry and issuer with ES256 only, then the claim shapes. Returns undefined on
 * any failure: callers answer with one generic "invalid token" so nothing leaks about why.
 */
export function verifyAccessToken(
  token: string,
  key: LoadedKey,
  issuer: string,
  nowSeconds: number,
): AccessClaims | undefined {
  let payload: unknown;
  try {
    payload = jwt.verify(token, key.publicKey, { algorithms: ['ES256'], issuer, clockTimestamp: nowSeconds });
  } catch {
    return undefined;
  }
  return isAccessClaims(payload) ? payload : undefined;
}

function isAccessClaims(p: unknown): p is AccessClaims {
  if (!p || typeof p !== 'object') return false;
  const c = p as Record<string, unknown>;
  return (
    c.type === 'access' &&
    typeof c.sub === 'string' &&
    typeof c.sid === 'string' &&
    typeof c.jti === 'string' &&
    typeof c.iat === 'number' &&
    typeof c.exp === 'number' &&
    typeof c.verified === 'boolean' &&
    (ROLE_NAMES as readonly unknown[]).includes(c.role)
  );
}

/** An opaque refresh token: 32 random bytes, base64url. */
export const generateRefreshToken = (): string => crypto.randomBytes(32).toString('base64url');

/** What is stored instead of the token. */
export const hashRefreshToken = (token: string): string =>
  crypto.createHash('sha256').update(token).digest('hex');
