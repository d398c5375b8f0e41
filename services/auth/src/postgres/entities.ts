import { EntitySchema } from 'typeorm';
import type { Jwk } from '../service';

// Table mappings without decorators. The tables themselves come from migrations/ only.
export const SCHEMA = 'auth';

export interface SigningKeyRow {
  kid: string;
  privateKey: string;
  publicJwk: Jwk;
  createdAt: Date;
  retiredAt: Date | null;
  verifyUntil: Date | null;
}

export const SigningKeyEntity = new EntitySchema<SigningKeyRow>({
  name: 'SigningKey',
  tableName: 'signing_keys',
  schema: SCHEMA,
  columns: {
    kid: { type: 'text', primary: true },
    privateKey: { type: 'text', name: 'private_key' },
    publicJwk: { type: 'jsonb', name: 'public_jwk' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    retiredAt: { type: 'timestamptz', name: 'retired_at', nullable: true },
    verifyUntil: { type: 'timestamptz', name: 'verify_until', nullable: true },
  },
});

export interface SessionRow {
  id: string;
  userId: string;
  role: string;
  verified: boolean;
  method: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export const SessionEntity = new EntitySchema<SessionRow>({
  name: 'Session',
  tableName: 'sessions',
  schema: SCHEMA,
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', name: 'user_id' },
    role: { type: 'text' },
    verified: { type: 'boolean' },
    method: { type: 'text' },
    userAgent: { type: 'text', name: 'user_agent' },
    ip: { type: 'text' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    lastUsedAt: { type: 'timestamptz', name: 'last_used_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    revokedReason: { type: 'text', name: 'revoked_reason', nullable: true },
  },
});

export interface RefreshTokenRow {
  tokenHash: string;
  sessionId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export const RefreshTokenEntity = new EntitySchema<RefreshTokenRow>({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  schema: SCHEMA,
  columns: {
    tokenHash: { type: 'text', primary: true, name: 'token_hash' },
    sessionId: { type: 'uuid', name: 'session_id' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    usedAt: { type: 'timestamptz', name: 'used_at', nullable: true },
  },
});

export interface UserTokenValidityRow {
  userId: string;
  tokensValidAfter: Date;
}

export const UserTokenValidityEntity = new EntitySchema<UserTokenValidityRow>({
  name: 'UserTokenValidity',
  tableName: 'user_token_validity',
  schema: SCHEMA,
  columns: {
    userId: { type: 'uuid', primary: true, name: 'user_id' },
    tokensValidAfter: { type: 'timestamptz', name: 'tokens_valid_after' },
  },
});

export interface RevocationRow {
  /** bigint arrives from pg as a string. */
  seq: string;
  kind: 'session' | 'user' | 'api_key';
  subject: string;
  at: Date;
}

export const RevocationEntity = new EntitySchema<RevocationRow>({
  name: 'Revocation',
  tableName: 'revocations',
  schema: SCHEMA,
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    kind: { type: 'text' },
    subject: { type: 'uuid' },
    at: { type: 'timestamptz' },
  },
});

export interface ApiKeyRow {
  id: string;
  userId: string;
  name: string;
  role: string;
  verified: boolean;
  secretHash: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_keys',
  schema: SCHEMA,
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { type: 'uuid', name: 'user_id' },
    name: { type: 'text' },
    role: { type: 'text' },
    verified: { type: 'boolean' },
    secretHash: { type: 'text', name: 'secret_hash' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    lastUsedAt: { type: 'timestamptz', name: 'last_used_at', nullable: true },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    revokedReason: { type: 'text', name: 'revoked_reason', nullable: true },
  },
});

export const ENTITIES = [
  SigningKeyEntity,
  SessionEntity,
  RefreshTokenEntity,
  UserTokenValidityEntity,
  RevocationEntity,
  ApiKeyEntity,
];
