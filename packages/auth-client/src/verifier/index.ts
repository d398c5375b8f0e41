import * as grpc from '@grpc/grpc-js';
import jwt from 'jsonwebtoken';
import { ROLE_NAMES, roleAtLeast, type RoleName } from '@usher/contracts';
import { AuthClientError, type AuthClient, type Principal } from '../client';
import { JwksCache } from './jwks';
import { RevocationSet } from './revocations';
import { RevocationStream } from './stream';

export interface VerifierOptions {
  /** The issuer auth signs with (USHER_AUTH_ISSUER), default "usher". */
  issuer?: string;
  /**
   * How long the revocation stream may be silent or down before the verifier stops trusting its
   * own view and asks auth (`Authenticate`) for every request. Default 1000 ms.
   */
  stalenessMs?: number;
  /** Least time between two JWKS fetches caused by unknown kids. Default 1000 ms. */
  jwksRefetchMs?: number;
  /** Called when the revocation stream connects or drops (for logs and metrics). */
  onStreamState?: (connected: boolean, err?: Error) => void;
  now?: () => number;
}

/** Verifies like an AuthClient, but in-process. */
export interface Verifier {
  authenticate(token: string): Promise<Principal>;
  authorize(token: string, minRole: RoleName): Promise<Principal>;
  /** Resolves once keys and the first revocation snapshot are in (or `timeoutMs` passed). */
  ready(timeoutMs?: number): Promise<boolean>;
  /** True while requests are verified locally (the stream is fresh). */
  readonly local: boolean;
  close(): void;
}

interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  type: 'access';
  role: RoleName;
  verified: boolean;
}

// Signature checks are the cost of a verification: a token seen before skips it while it is
// unexpired and its key is still published. Revocations are checked on every call regardless.
const VERIFIED_MAX = 10_000;

const invalid = () => new AuthClientError(grpc.status.UNAUTHENTICATED, 'invalid or expired token');

/** The header of a compact JWS, or undefined. */
function header(token: string): { alg?: unknown; kid?: unknown } | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const h: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'));
    return h && typeof h === 'object' ? (h as { alg?: unknown; kid?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

// the same shape auth checks (services/auth/src/domain/tokens.ts)
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

/**
 * Local verification of Usher access tokens: ES256 signatures against the JWKS (GetJwks), issuer,
 * type and expiry exactly as auth checks them, and revocations pushed by WatchRevocations. Fails
 * closed: while the stream is down or silent for longer than `stalenessMs`, every request goes to
 * `Authenticate` (and is a 503 when auth is unreachable). API keys always go to `Authenticate`.
 */
export function createVerifier(client: AuthClient, options: VerifierOptions = {}): Verifier {
  const now = options.now ?? Date.now;
  const issuer = options.issuer ?? 'usher';
  const stalenessMs = options.stalenessMs ?? 1000;
  const jwks = new JwksCache(() => client.getJwks(), options.jwksRefetchMs ?? 1000, now);
  const set = new RevocationSet(now);
  const stream = new RevocationStream({
    open: () => client.watchRevocations(),
    set,
    now,
    maxBackoffMs: Math.max(100, Math.min(1000, stalenessMs)),
    onState: options.onStreamState,
  });
  stream.start();
  const keysLoaded = jwks.refresh().catch(() => undefined); // retried on the first unknown kid
  const pruner = setInterval(() => set.prune(), 60_000);
  pruner.unref();

  const verified = new Map<string, { kid: string; claims: AccessClaims }>();

  async function verifyLocally(token: string): Promise<Principal> {
    const claims = cachedClaims(token) ?? (await verifySignature(token));
    if (set.revoked(claims.sub, claims.sid, claims.iat)) throw invalid();
    return {
      userId: claims.sub,
      role: claims.role,
      sessionId: claims.sid,
      verified: claims.verified,
      expiresAt: claims.exp,
      tokenId: claims.jti,
      kind: 'access',
      apiKeyId: '',
    };
  }

  function cachedClaims(token: string): AccessClaims | undefined {
    const hit = verified.get(token);
    if (!hit) return undefined;
    if (Math.floor(now() / 1000) < hit.claims.exp && jwks.has(hit.kid)) return hit.claims;
    verified.delete(token);
    return undefined;
  }

  async function verifySignature(token: string): Promise<AccessClaims> {
    const h = header(token);
    if (!h || h.alg !== 'ES256' || typeof h.kid !== 'string') throw invalid();
    let key;
    try {
      key = await jwks.key(h.kid);
    } catch (err) {
      throw new AuthClientError(grpc.status.UNAVAILABLE, `auth service unavailable: ${String(err)}`);
    }
    if (!key) throw invalid();
    let claims: unknown;
    try {
      const clockTimestamp = Math.floor(now() / 1000);
      claims = jwt.verify(token, key, { algorithms: ['ES256'], issuer, clockTimestamp });
    } catch {
      throw invalid();
    }
    if (!isAccessClaims(claims)) throw invalid();
    // oldest first out: a Map iterates in insertion order
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { kid: h.kid, claims });
    return claims;
  }

  /** Locally while the view is fresh, otherwise (and for API keys) by asking auth. */
  async function check(token: string, remote: () => Promise<Principal>): Promise<Principal> {
    if (!token) throw invalid();
    if (token.startsWith('usher_pat_') || !stream.fresh(stalenessMs)) return remote();
    const principal = await verifyLocally(token);
    // the stream may have gone stale while the key was fetched: never answer from a stale view
    return stream.fresh(stalenessMs) ? principal : remote();
  }

  return {
    authenticate: (token) => check(token, () => client.authenticate(token)),
    async authorize(token, minRole) {
      const principal = await check(token, () => client.authorize(token, minRole));
      if (!roleAtLeast(principal.role, minRole))
        throw new AuthClientError(grpc.status.PERMISSION_DENIED, `role ${minRole} or higher required`);
      return principal;
    },
    async ready(timeoutMs = 5000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const done = Promise.all([keysLoaded, stream.synced$()]).then(() => true);
      const result = await Promise.race([done, timeout]);
      clearTimeout(timer);
      return result && stream.fresh(stalenessMs);
    },
    get local() {
      return stream.fresh(stalenessMs);
    },
    close() {
      clearInterval(pruner);
      stream.close();
    },
  };
}
