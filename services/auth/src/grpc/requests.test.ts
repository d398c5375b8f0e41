import { ValidationError } from '../errors';
import {
  AuthorizeRequest,
  CreateApiKeyRequest,
  IssueRequest,
  RevokeSessionRequest,
  decode,
} from './requests';

const USER = '7f1c6f0e-0000-4000-8000-000000000001';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.field;
  }
  return undefined;
};

describe('request decoding', () => {
  it('turns proto messages into domain inputs with defaults', () => {
    expect(
      decode(IssueRequest, { user_id: USER, role: 'ROLE_ADMIN', verified: true, client: null, method: '' }),
    ).toEqual({
      user_id: USER,
      role: 'admin',
      verified: true,
      client: { userAgent: '', ip: '' },
      method: 'unknown',
    });
    expect(decode(AuthorizeRequest, { token: 't', min_role: 3 })).toEqual({ token: 't', min_role: 'owner' });
    expect(decode(RevokeSessionRequest, { session_id: USER, user_id: '', reason: '' })).toEqual({
      session_id: USER,
      user_id: undefined,
      reason: '',
    });
  });

  it('truncates a long user agent instead of refusing the sign-in', () => {
    const r = decode(IssueRequest, {
      user_id: USER,
      role: 0,
      client: { user_agent: 'x'.repeat(2000), ip: '::1' },
    });
    expect(r.client.userAgent).toHaveLength(512);
  });

  it('decodes CreateApiKey: trimmed name, role, lifetime default 0', () => {
    expect(decode(CreateApiKeyRequest, { user_id: USER, role: 'ROLE_EDITOR', name: '  ci  ' })).toEqual({
      user_id: USER,
      role: 'editor',
      name: 'ci',
      expires_in_seconds: 0,
      verified: false,
    });
    expect(fieldOf(() => decode(CreateApiKeyRequest, { user_id: USER, role: 0, name: ' ' }))).toBe('name');
    expect(
      fieldOf(() => decode(CreateApiKeyRequest, { user_id: USER, role: 0, name: 'é'.repeat(101) })),
    ).toBe('name');
    expect(decode(CreateApiKeyRequest, { user_id: USER, role: 0, name: 'é'.repeat(100) }).name).toHaveLength(
      100,
    );
  });

  it('names the bad field', () => {
    expect(fieldOf(() => decode(IssueRequest, { user_id: 'nope', role: 0 }))).toBe('user_id');
    expect(fieldOf(() => decode(IssueRequest, { user_id: USER, role: 'ROLE_GOD' }))).toBe('role');
    expect(fieldOf(() => decode(IssueRequest, { user_id: USER, role: 0, method: 'a b' }))).toBe('method');
    expect(fieldOf(() => decode(IssueRequest, { user_id: USER, role: 0, client: { ip: '300.1.1.1' } }))).toBe(
      'client.ip',
    );
    expect(fieldOf(() => decode(RevokeSessionRequest, { session_id: USER, user_id: 'x' }))).toBe('user_id');
    expect(fieldOf(() => decode(AuthorizeRequest, { token: 'x'.repeat(9000), min_role: 0 }))).toBe('token');
  });
});
