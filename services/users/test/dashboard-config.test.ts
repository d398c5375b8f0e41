import type { AddressInfo } from 'net';
import type { Server } from 'http';
import type { AuthClient } from '@usher/auth-client';
import { loadUsersConfig } from '@usher/config';
import { createLogger, createRegistry } from '@usher/telemetry';
import { createHttpApp, type HttpAppDeps } from '../src/http/app';
import type { UsersService } from '../src/service';

/** The dashboard switch and path, and its backend's CSRF rules, without a database or a browser. */

function serve(dashboard: HttpAppDeps['dashboard']): Promise<{ url: string; server: Server }> {
  const app = createHttpApp({
    service: {} as UsersService,
    auth: {} as AuthClient,
    logger: createLogger({ service: 'users-dashboard-test', level: 'silent' }),
    registry: createRegistry('users_dashboard_test', 'test'),
    instanceId: 'test',
    requireAuthentication: true,
    owner: async () => ({ userId: '', role: 'owner', sessionId: '', verified: true }),
    dashboard,
  } as HttpAppDeps);
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }),
    );
  });
}

describe('dashboard configuration', () => {
  it('is on at /dashboard by default; USHER_DASHBOARD_ENABLED=false and USHER_DASHBOARD_PATH change that', () => {
    expect(loadUsersConfig({}).dashboard).toEqual({ enabled: true, path: '/dashboard' });
    expect(
      loadUsersConfig({ USHER_DASHBOARD_ENABLED: 'false', USHER_DASHBOARD_PATH: '/admin/ui' }).dashboard,
    ).toEqual({ enabled: false, path: '/admin/ui' });
    expect(() => loadUsersConfig({ USHER_DASHBOARD_PATH: 'dashboard' })).toThrow(/USHER_DASHBOARD_PATH/);
    expect(() => loadUsersConfig({ USHER_DASHBOARD_PATH: '/a/../b' })).toThrow(/USHER_DASHBOARD_PATH/);
  });

  it('is not served when switched off', async () => {
    const { url, server } = await serve(undefined);
    try {
      expect((await fetch(`${url}/dashboard`)).status).toBe(404);
      expect((await fetch(`${url}/dashboard/api/session`, { method: 'POST' })).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('serves under another path, with its headers, and refuses cross-site or token-less state changes', async () => {
    const { url, server } = await serve({ path: '/admin/ui' });
    try {
      const page = await fetch(`${url}/admin/ui/users`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('src="/admin/ui/assets/');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      const csrf = /usher_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
      expect(page.headers.get('set-cookie')).toMatch(/usher_csrf=[\w-]+; Path=\/admin\/ui; SameSite=Strict$/);
      // Behind a TLS-terminating proxy on the private network, the cookies are Secure.
      const tls = await fetch(`${url}/admin/ui/`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(tls.headers.get('set-cookie')).toMatch(/; Path=\/admin\/ui; SameSite=Strict; Secure$/);
      expect((await fetch(`${url}/dashboard`)).status).toBe(404);
      const post = (headers: Record<string, string>) =>
        fetch(`${url}/admin/ui/api/users/keys`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{}',
        });
      const cookie = `usher_csrf=${csrf}`;
      expect((await post({ cookie })).status).toBe(403);
      expect((await post({ cookie, 'x-usher-csrf': 'wrong' })).status).toBe(403);
      expect((await post({ cookie, 'x-usher-csrf': csrf!, origin: 'https://evil.example' })).status).toBe(
        403,
      );
      // With the token and no session: 401 from the backend, not the owner of an open API.
      const res = await post({ cookie, 'x-usher-csrf': csrf!, origin: url });
      expect(res.status).toBe(401);
      // Only the users API routes are reachable through the backend.
      expect((await fetch(`${url}/admin/ui/api/metrics`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
