import { ConfigError, loadUsersConfig } from './index';

describe('USHER_TRUSTED_PROXIES', () => {
  it('defaults to loopback and takes comma-separated CIDRs and names', () => {
    expect(loadUsersConfig({}).security.trustedProxies).toEqual(['loopback']);
    expect(
      loadUsersConfig({ USHER_TRUSTED_PROXIES: '10.0.0.0/8, 172.28.0.10, fd00::/8,uniquelocal' }).security
        .trustedProxies,
    ).toEqual(['10.0.0.0/8', '172.28.0.10', 'fd00::/8', 'uniquelocal']);
  });

  it.each(['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', 'all', '*'])(
    'refuses %s naming the variable',
    (value) => {
      expect(() => loadUsersConfig({ USHER_TRUSTED_PROXIES: value })).toThrow(ConfigError);
      expect(() => loadUsersConfig({ USHER_TRUSTED_PROXIES: value })).toThrow(/USHER_TRUSTED_PROXIES/);
    },
  );
});
