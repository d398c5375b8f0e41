import { authServiceDefinition, roleAtLeast, roleFromProto, roleLevel, roleToProto } from './index';

describe('auth.proto', () => {
  it('defines every AuthService method the platform relies on', () => {
    const methods = Object.keys(authServiceDefinition());
    expect(methods).toEqual(
      expect.arrayContaining([
        'Issue',
        'Refresh',
        'Authenticate',
        'Authorize',
        'RevokeSession',
        'RevokeUserSessions',
        'ListSessions',
        'GetJwks',
        'RotateSigningKey',
      ]),
    );
    expect(authServiceDefinition().Issue.path).toBe('/usher.auth.v1.AuthService/Issue');
  });

  it('serialises int64 timestamps as numbers and enums as names', () => {
    const def = authServiceDefinition().Authenticate;
    const bytes = def.responseSerialize({ user_id: 'u', role: 'ROLE_ADMIN', expires_at: 1_900_000_000 });
    expect(def.responseDeserialize(bytes)).toMatchObject({
      user_id: 'u',
      role: 'ROLE_ADMIN',
      expires_at: 1_900_000_000,
    });
  });
});

describe('roles', () => {
  it('orders viewer < editor < admin < owner', () => {
    expect(roleLevel('viewer')).toBe(0);
    expect(roleLevel('owner')).toBe(3);
    expect(roleAtLeast('admin', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'admin')).toBe(false);
  });
  it('converts to and from the proto enum', () => {
    expect(roleToProto('admin')).toBe('ROLE_ADMIN');
    expect(roleFromProto('ROLE_OWNER')).toBe('owner');
    expect(roleFromProto(1)).toBe('editor');
    expect(() => roleFromProto('ROLE_GOD')).toThrow(RangeError);
  });
});
