/**
 * The dashboard talks only to its own backend at `<base>api/*`, which keeps the tokens in HttpOnly
 * cookies and hands each call to the users API route of the same name. State-changing calls carry
 * the CSRF token from the `usher_csrf` cookie in the `X-Usher-CSRF` header.
 */

export const BASE =
  document.querySelector<HTMLMetaElement>('meta[name="usher-base"]')?.content ?? '/dashboard/';

export type Role = 'viewer' | 'editor' | 'admin' | 'owner';
export const ROLES: Role[] = ['viewer', 'editor', 'admin', 'owner'];
export const rank = (r: Role | undefined) => (r ? ROLES.indexOf(r) : -1);

export interface User {
  id: string;
  first_name: string;
  last_name: string;
  email?: string;
  credentials: { username: string };
  role?: Role;
  status?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  profile_picture?: string;
  /** Before Usher took Magistrala's name. */
  picture?: string;
  verified_at?: string;
  created_at?: string;
  updated_at?: string;
}

export interface UsersPage {
  total: number;
  offset: number;
  limit: number;
  users: User[];
}

export interface Session {
  id: string;
  method: string;
  user_agent: string;
  ip: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  current?: boolean;
}

export interface AuditEvent {
  id: string;
  type: string;
  outcome: string;
  actor_id?: string;
  target_id?: string;
  ip: string;
  user_agent: string;
  occurred_at: string;
  details: Record<string, unknown>;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  expires_at: string;
  last_used_at?: string;
  key?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'usher_csrf') return decodeURIComponent(rest.join('='));
  }
  return '';
}

/** Called when the backend says the session is gone (signed out elsewhere, disabled, expired). */
let onSignedOut: (reason: string) => void = () => undefined;
export function whenSignedOut(fn: (reason: string) => void) {
  onSignedOut = fn;
}

/** An API error in plain words, for the page. */
export function plain(error: unknown): string {
  if (!(error instanceof ApiError))
    return 'The server could not be reached. Check your connection and try again.';
  const detail = error.message ? ` (${error.message})` : '';
  switch (error.code) {
    case 'account_locked':
      return lockedMessage(error.retryAfter);
    case 'password_change_required':
      return 'You must change your temporary password before doing anything else.';
    case 'csrf_refused':
      return 'The request was refused as a possible cross-site request. Reload the page and try again.';
  }
  switch (error.status) {
    case 400:
      return `Some of the values are not valid${detail}.`;
    case 401:
      return 'Your session has ended. Please sign in again.';
    case 403:
      return `You are not allowed to do this${detail}.`;
    case 404:
      return 'Not found: it may have been deleted.';
    case 409:
      return `That conflicts with an existing account${detail}.`;
    case 429:
      return 'Too many requests. Wait a moment and try again.';
    case 503:
      return 'The service is temporarily unavailable. Try again shortly.';
    default:
      return `Something went wrong${detail}.`;
  }
}

export function lockedMessage(retryAfter?: number): string {
  if (!retryAfter) return 'This account is locked after too many failed sign-ins. Try again later.';
  const at = new Date(Date.now() + retryAfter * 1000);
  const minutes = Math.ceil(retryAfter / 60);
  return `This account is locked after too many failed sign-ins. Try again in ${minutes} minute${
    minutes === 1 ? '' : 's'
  } (at ${at.toLocaleTimeString()}), or ask an administrator to unlock it.`;
}

export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  // On every request: the backend also wants it on GET /session (which may refresh the tokens).
  headers['x-usher-csrf'] = csrfToken();
  let res: Response;
  try {
    res = await fetch(`${BASE}api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const error = new ApiError(
      res.status,
      String(json.error ?? ''),
      String(json.message ?? ''),
      typeof json.retry_after === 'number' ? json.retry_after : undefined,
    );
    // A 401 means the session is gone, except where the API uses it for a wrong password.
    const wrongSecret = path === '/users/secret' && error.message.includes('old_secret');
    if (res.status === 401 && path !== '/session' && !wrongSecret)
      onSignedOut(
        'Your session has ended (signed out, expired, or the account was disabled). Please sign in again.',
      );
    throw error;
  }
  return json as T;
}

export const qs = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
