import { roleToProto, type Jwk as JwkMessage, type Principal as PrincipalMessage } from '@usher/contracts';
import type { Session as SessionMessage, Token as TokenMessage } from '@usher/contracts';
import type { ApiKeyInfo, Jwk, Principal, SessionInfo, TokenPair } from '../service';

export const toToken = (p: TokenPair): TokenMessage => ({
  access_token: p.accessToken,
  refresh_token: p.refreshToken,
  access_type: 'Bearer',
  access_expires_at: p.accessExpiresAt,
  refresh_expires_at: p.refreshExpiresAt,
  session_id: p.sessionId,
  user_id: p.userId,
});

export const toPrincipal = (p: Principal): PrincipalMessage => ({
  user_id: p.userId,
  role: roleToProto(p.role),
  session_id: p.sessionId,
  verified: p.verified,
  expires_at: p.expiresAt,
  token_id: p.tokenId,
  kind: p.kind,
  api_key_id: p.apiKeyId,
});

export const toSession = (s: SessionInfo): SessionMessage => ({
  id: s.id,
  user_id: s.userId,
  role: roleToProto(s.role),
  method: s.method,
  user_agent: s.userAgent,
  ip: s.ip,
  created_at: s.createdAt,
  last_used_at: s.lastUsedAt,
  expires_at: s.expiresAt,
  idle_expires_at: s.idleExpiresAt,
});

// the ApiKey message type is not exported by @usher/contracts: AuthServiceHandlers checks the shape
export const toApiKey = (k: ApiKeyInfo) => ({
  id: k.id,
  user_id: k.userId,
  name: k.name,
  role: roleToProto(k.role),
  created_at: k.createdAt,
  expires_at: k.expiresAt,
  last_used_at: k.lastUsedAt,
});

export const toJwk = (k: Jwk): JwkMessage => ({ ...k });
