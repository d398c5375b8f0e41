import { randomBytes, timingSafeEqual } from 'crypto';
import fs from 'fs';
import path from 'path';
import type { Request, RequestHandler, Response } from 'express';
import { AuthClientError, type AuthClient } from '@usher/auth-client';
import type { TokenPair, UsersService } from '../../service';
import { clientOf } from '../context';
import { sendError } from '../errors';
import { IssueTokenBody } from '../schemas';

/**
 * The web dashboard: its static files (packages/dashboard/dist) and a small backend-for-frontend
 * under `<path>/api`.
 *
 * Tokens never reach the page's scripts: `POST <path>/api/session` signs in through
 * UsersService.issueToken and keeps the access and refresh tokens in HttpOnly, SameSite=Strict
 * cookies scoped to `<path>` (Secure over TLS). Every other `<path>/api/<route>` is the users API
 * route `/<route>`, handled in this same process: the request is rewritten, given the bearer token
 * from the cookie and passed on to the ordinary routes, so roles and rules are exactly the API's.
 * An expired access token is refreshed here first (the auth service says it is no longer valid and
 * the refresh cookie is traded for a new pair), so the page never sees it.
 *
 * CSRF: a state-changing request, and `GET <path>/api/session` (which may trade the refresh cookie),
 * must carry the `X-Usher-CSRF` header equal to the script-readable `usher_csrf` cookie (double
 * submit; a cross-site page can read neither), and an `Origin`, when sent, must be this host. SameSite=Strict already keeps the token cookies off cross-site requests.
 *
 * This is one middleware function, not an express Router: its routes are not users API routes and
 * are not in openapi.yaml (the spec test walks routers only).
 */

export const ACCESS_COOKIE = 'usher_at';
export const REFRESH_COOKIE = 'usher_rt';
export const CSRF_COOKIE = 'usher_csrf';
export const CSRF_HEADER = 'x-usher-csrf';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The API routes the dashboard may reach through its backend. */
const PROXIED = /^\/(users|audit|stats|password\/reset-request)(\/|$)/;
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const BASE_TOKEN = '/__USHER_BASE__/';
/** How long a refresh's result is handed to requests that were on their way with the same cookies. */
const REFRESH_SHARE_MS = 5_000;

export interface DashboardOptions {
  /** USHER_DASHBOARD_PATH, e.g. /dashboard */
  path: string;
  service: UsersService;
  auth: AuthClient;
  /** packages/dashboard/dist; found from the @usher/dashboard package when absent. */
  distDir?: string;
}

export function dashboardDist(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve('@usher/dashboard/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] ??= decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      /* a malformed cookie is ignored */
    }
  }
  return out;
}

/** Every value a cookie name has in the request (a browser sends the longest Path first). */
function cookieValues(req: Request, name: string): string[] {
  const out: string[] = [];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== name) continue;
    try {
      out.push(decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      /* a malformed cookie is ignored */
    }
  }
  return out;
}

function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function dashboard(options: DashboardOptions): RequestHandler {
  const base = options.path.replace(/\/+$/, '');
  const apiBase = `${base}/api`;
  const dist = options.distDir ?? dashboardDist();
  let indexHtml: string | undefined;

  const cookie = (
    req: Request,
    res: Response,
    name: string,
    value: string,
    opts: { httpOnly: boolean; clear?: boolean },
  ) => {
    const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${base}`, 'SameSite=Strict'];
    if (opts.httpOnly) parts.push('HttpOnly');
    if (req.secure) parts.push('Secure');
    if (opts.clear) parts.push('Max-Age=0');
    res.append('Set-Cookie', parts.join('; '));
  };
  const setTokens = (req: Request, res: Response, access: string, refresh: string) => {
    cookie(req, res, ACCESS_COOKIE, access, { httpOnly: true });
    cookie(req, res, REFRESH_COOKIE, refresh, { httpOnly: true });
  };
  const clearTokens = (req: Request, res: Response) => {
    cookie(req, res, ACCESS_COOKIE, '', { httpOnly: true, clear: true });
    cookie(req, res, REFRESH_COOKIE, '', { httpOnly: true, clear: true });
  };
  /**
   * The hand-off from an external sign-in (/oauth/callback, with USHER_OAUTH_UI_REDIRECT_URL at
   * `<path>/`): it leaves the pair in HttpOnly, SameSite=Lax cookies of the same names at Path=/.
   * They are moved into this dashboard's own Path=<path>, SameSite=Strict cookies and the Path=/
   * ones cleared. When both are sent, the Path=/ one comes last and is the newer sign-in.
   */
  const adoptHandoff = (req: Request, res: Response, cookies: Record<string, string>) => {
    const access = cookieValues(req, ACCESS_COOKIE).at(-1);
    const refresh = cookieValues(req, REFRESH_COOKIE).at(-1);
    if (!access && !refresh) return;
    if (access) cookies[ACCESS_COOKIE] = access;
    if (refresh) cookies[REFRESH_COOKIE] = refresh;
    for (const name of [ACCESS_COOKIE, REFRESH_COOKIE]) {
      const value = cookies[name];
      if (value) cookie(req, res, name, value, { httpOnly: true });
      const clear = [`${name}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
      if (req.secure) clear.push('Secure');
      res.append('Set-Cookie', clear.join('; '));
    }
    ensureCsrf(req, res, cookies);
  };
  const ensureCsrf = (req: Request, res: Response, cookies: Record<string, string>) => {
    if (cookies[CSRF_COOKIE]) return;
    cookie(req, res, CSRF_COOKIE, randomBytes(24).toString('base64url'), { httpOnly: false });
  };

  /** `always`: also for a safe method (GET /session, which may trade the refresh cookie). */
  const csrfRefusal = (req: Request, cookies: Record<string, string>, always = false): string | undefined => {
    if (SAFE.has(req.method) && !always) return undefined;
    const origin = req.get('origin');
    if (origin && origin !== 'null') {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return 'bad Origin header';
      }
      if (host !== req.get('host')) return 'cross-origin request refused';
    } else if (origin === 'null') return 'cross-origin request refused';
    if (!sameToken(req.get(CSRF_HEADER), cookies[CSRF_COOKIE])) return 'missing or wrong CSRF token';
    return undefined;
  };

  /**
   * A refresh token is good for one use (reuse ends the session), and a page sends several requests
   * at once: concurrent requests with the same expired cookies share one refresh, and its result is
   * kept a few seconds for requests that were already on their way with the old cookies. Only for
   * requests carrying the same access cookie too: a stolen, spent refresh cookie alone is traded
   * again, and the auth service's reuse detection ends the session instead of handing out a pair.
   */
  const refreshes = new Map<string, { at: number; access: string; pair: Promise<TokenPair> }>();
  const refreshOnce = (req: Request, refresh: string, access: string | undefined): Promise<TokenPair> => {
    const now = Date.now();
    for (const [k, v] of refreshes) if (now - v.at > REFRESH_SHARE_MS) refreshes.delete(k);
    const shared = refreshes.get(refresh);
    if (shared && access && sameToken(shared.access, access)) return shared.pair;
    const pair = options.service.refreshToken({ caller: null, client: clientOf(req) }, refresh);
    if (!shared && access) refreshes.set(refresh, { at: now, access, pair });
    return pair;
  };

  /** The access token to use: the cookie's, or a fresh one when the auth service no longer takes it. */
  const accessToken = async (req: Request, res: Response, cookies: Record<string, string>) => {
    const access = cookies[ACCESS_COOKIE];
    const refresh = cookies[REFRESH_COOKIE];
    if (access) {
      try {
        await options.auth.authenticate(access);
        return access;
      } catch (error) {
        if (!(error instanceof AuthClientError) || error.kind !== 'unauthenticated') return access;
      }
    }
    if (!refresh) return undefined;
    try {
      const pair = await refreshOnce(req, refresh, access);
      setTokens(req, res, pair.accessToken, pair.refreshToken);
      return pair.accessToken;
    } catch {
      clearTokens(req, res);
      return undefined;
    }
  };

  const serveIndex = (req: Request, res: Response, cookies: Record<string, string>) => {
    if (!dist) {
      sendError(res, 503, 'unavailable', 'the dashboard is not built: run pnpm build');
      return;
    }
    try {
      indexHtml ??= fs.readFileSync(path.join(dist, 'index.html'), 'utf8').split(BASE_TOKEN).join(`${base}/`);
    } catch {
      sendError(res, 503, 'unavailable', 'the dashboard is not built: run pnpm build');
      return;
    }
    ensureCsrf(req, res, cookies);
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(indexHtml);
  };

  return (req, res, next) => {
    const p = req.path;
    if (p !== base && !p.startsWith(`${base}/`)) return next();
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    const cookies = readCookies(req);

    if (p === apiBase || p.startsWith(`${apiBase}/`)) {
      res.setHeader('Cache-Control', 'no-store');
      const route = p.slice(apiBase.length) || '/';
      const refused = csrfRefusal(req, cookies, route === '/session');
      if (refused) return sendError(res, 403, 'csrf_refused', refused);
      if (route === '/session') {
        if (req.method === 'POST') {
          void (async () => {
            const parsed = IssueTokenBody.safeParse(req.body);
            if (!parsed.success)
              return sendError(res, 400, 'invalid_request', 'identity and secret are required');
            const pair = await options.service.issueToken(
              { caller: null, client: clientOf(req) },
              parsed.data.identity,
              parsed.data.secret,
            );
            setTokens(req, res, pair.accessToken, pair.refreshToken);
            res.status(204).end();
          })().catch(next);
          return;
        }
        if (req.method === 'GET') {
          // Whether a session is open (refreshed if need be): the page asks before anything else.
          void (async () => {
            adoptHandoff(req, res, cookies);
            res.json({ signed_in: Boolean(await accessToken(req, res, cookies)) });
          })().catch(next);
          return;
        }
        if (req.method === 'DELETE') {
          // Sign out: the cookies go at once; the session is revoked by the API route.
          void (async () => {
            const token = await accessToken(req, res, cookies);
            clearTokens(req, res);
            if (!token) return res.status(204).end();
            req.headers.authorization = `Bearer ${token}`;
            req.url = '/users/tokens/revoke';
            req.method = 'POST';
            next();
          })().catch(next);
          return;
        }
        return sendError(
          res,
          405,
          'method_not_allowed',
          'use GET to check, POST to sign in and DELETE to sign out',
        );
      }
      if (!PROXIED.test(route)) return sendError(res, 404, 'not_found', 'route not found');
      void (async () => {
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        delete req.headers.authorization;
        if (route !== '/password/reset-request') {
          const token = await accessToken(req, res, cookies);
          if (!token) return sendError(res, 401, 'unauthenticated', 'not signed in');
          req.headers.authorization = `Bearer ${token}`;
        }
        req.url = route + query;
        next();
      })().catch(next);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const rel = p.slice(base.length + 1);
    if (dist && rel.startsWith('assets/') && !rel.includes('..')) {
      res.sendFile(rel, { root: dist, dotfiles: 'deny', maxAge: '365d', immutable: true }, (err) => {
        if (err) sendError(res, 404, 'not_found', 'no such asset');
      });
      return;
    }
    if (dist && /^[\w-]+\.(svg|ico|png|txt)$/.test(rel) && fs.existsSync(path.join(dist, rel))) {
      res.sendFile(rel, { root: dist, dotfiles: 'deny' });
      return;
    }
    // Any other page is one of the app's own routes: the app shows it (SPA fallback).
    serveIndex(req, res, cookies);
  };
}
