import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { Router, type Request, type Response } from 'express';
import type { Logger } from '@usher/telemetry';
import { NotFoundError } from '../errors';
import { OAuthError, type OAuthAccounts } from '../domain/oauth';
import { classify, type ProviderClient } from '../oauth/providers';
import type { PostgresIdentities } from '../postgres/identity-repository';
import { ctxOf, signedInCtx, type Authenticator } from './context';
import { sendError } from './errors';
import { handle } from './handle';

/** The browser's handle on a started flow: HttpOnly, short-lived, sent back only to the callback. */
export const FLOW_COOKIE = 'usher_oauth_flow';
/** Usher's own token pair after an external sign-in: the dashboard's cookie names. */
export const ACCESS_COOKIE = 'usher_at';
export const REFRESH_COOKIE = 'usher_rt';
const FLOW_TTL_MS = 10 * 60_000;

export interface OAuthRoutesDeps {
  accounts: OAuthAccounts;
  flows: Pick<PostgresIdentities, 'saveFlow' | 'takeFlow'>;
  providers: ProviderClient[];
  uiRedirectUrl: string;
  uiErrorUrl: string;
  /** USHER_OAUTH_CALLBACK_URL_PREFIX: cookies are Secure when it is https. */
  callbackUrlPrefix: string;
  logger: Logger;
}

const off = (): never => {
  throw new NotFoundError('sign-in with external identity providers is not set up');
};
/** Without wiring (unit tests of the HTTP app): no providers, no identities. */
const disabled: OAuthRoutesDeps = {
  accounts: { failed: off, signIn: off, listIdentities: off, unlink: off } as unknown as OAuthAccounts,
  flows: { saveFlow: off, takeFlow: off },
  providers: [],
  uiRedirectUrl: 'http://localhost/',
  uiErrorUrl: 'http://localhost/',
  callbackUrlPrefix: 'http://localhost/oauth/callback',
  logger: undefined as unknown as Logger,
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i >= 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Sign-in with external identity providers: GET /oauth/providers, /oauth/authorize/{provider},
 * /oauth/callback/{provider}; and the caller's linked identities under /users/identities.
 * Every failed callback ends at the UI error URL with `?error=<short code>` and an audit entry.
 */
export function oauthRoutes(wired: OAuthRoutesDeps | undefined, authn: Authenticator): Router {
  const r = Router({ strict: true });
  const deps = wired ?? disabled;
  const byName = new Map(deps.providers.map((p) => [p.name, p]));
  const secure = deps.callbackUrlPrefix.startsWith('https:');
  // The flow cookie goes back only to the callback, at its public path (behind a gateway too).
  const callbackPath = new URL(deps.callbackUrlPrefix).pathname.replace(/\/+$/, '') || '/';

  const cookie = (res: Response, name: string, value: string, path: string, maxAgeS?: number) => {
    const parts = [`${name}=${value}`, `Path=${path}`, 'HttpOnly', 'SameSite=Lax'];
    if (secure) parts.push('Secure');
    if (maxAgeS !== undefined) parts.push(`Max-Age=${maxAgeS}`);
    res.append('Set-Cookie', parts.join('; '));
  };

  const fail = async (req: Request, res: Response, provider: string, err: unknown) => {
    const e = classify(err);
    deps.logger.warn({ provider, code: e.code, reason: e.message }, 'external sign-in refused');
    try {
      await deps.accounts.failed(ctxOf(req), provider, e.code, e.message, e.userId);
    } catch (auditErr) {
      deps.logger.error({ err: auditErr }, 'could not audit a refused external sign-in');
    }
    const to = new URL(deps.uiErrorUrl);
    to.searchParams.set('error', e.code);
    res.redirect(302, to.toString());
  };

  r.get('/oauth/providers', (_req, res) => {
    res.json({
      providers: deps.providers.map((p) => ({
        name: p.name,
        kind: p.kind,
        authorize_url: `/oauth/authorize/${p.name}`,
      })),
    });
  });

  r.get('/oauth/authorize/:provider', async (req, res) => {
    const provider = byName.get(String(req.params.provider));
    if (!provider) {
      sendError(res, 404, 'not_found', 'no such identity provider is configured');
      return;
    }
    try {
      const { url, checks } = await provider.start();
      const handle = randomBytes(32).toString('base64url');
      await deps.flows.saveFlow(sha256(handle), {
        provider: provider.name,
        state: checks.state,
        nonce: checks.nonce,
        codeVerifier: checks.codeVerifier,
        expiresAt: new Date(Date.now() + FLOW_TTL_MS),
      });
      cookie(res, FLOW_COOKIE, handle, callbackPath, FLOW_TTL_MS / 1000);
      res.redirect(302, url.toString());
    } catch (err) {
      await fail(req, res, provider.name, err);
    }
  });

  r.get('/oauth/callback/:provider', async (req, res) => {
    const provider = byName.get(String(req.params.provider));
    if (!provider) {
      sendError(res, 404, 'not_found', 'no such identity provider is configured');
      return;
    }
    // The flow is spent whatever happens next: a callback works once.
    cookie(res, FLOW_COOKIE, '', callbackPath, 0);
    try {
      const handleValue = readCookie(req, FLOW_COOKIE);
      const flow = handleValue ? await deps.flows.takeFlow(sha256(handleValue)) : null;
      if (!flow || flow.provider !== provider.name) {
        throw new OAuthError('invalid_state', 'no sign-in was started from this browser, or it expired');
      }
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      if (!same(state, flow.state)) throw new OAuthError('invalid_state', 'state does not match');
      const denied = typeof req.query.error === 'string' ? req.query.error : '';
      if (denied) {
        throw new OAuthError(
          denied === 'access_denied' ? 'access_denied' : 'provider_error',
          `provider answered ${denied.slice(0, 64)}`,
        );
      }
      const current = new URL(`${deps.callbackUrlPrefix}/${provider.name}`);
      current.search = new URL(req.originalUrl, 'http://x').search;
      const profile = await provider.finish(current, flow);
      const pair = await deps.accounts.signIn(ctxOf(req), profile);
      cookie(res, ACCESS_COOKIE, pair.accessToken, '/');
      cookie(res, REFRESH_COOKIE, pair.refreshToken, '/');
      res.redirect(302, deps.uiRedirectUrl);
    } catch (err) {
      await fail(req, res, provider.name, err);
    }
  });

  r.get(
    '/users/identities',
    authn.required,
    handle(async (req) => {
      const list = await deps.accounts.listIdentities(signedInCtx(req));
      return {
        status: 200,
        body: {
          identities: list.map((i) => ({
            id: i.id,
            provider: i.provider,
            email: i.email,
            created_at: i.createdAt.toISOString(),
            last_used_at: i.lastUsedAt ? i.lastUsedAt.toISOString() : null,
          })),
        },
      };
    }),
  );

  r.delete(
    '/users/identities/:id',
    authn.required,
    handle(async (req) => {
      await deps.accounts.unlink(signedInCtx(req), String(req.params.id));
      return { status: 204 };
    }),
  );

  return r;
}
