import { EntitySchema } from 'typeorm';

export interface UserRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  username: string;
  role: number;
  status: number;
  tags: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb: TypeORM's partial types need any here
  metadata: Record<string, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb, as metadata
  private_metadata: Record<string, any>;
  picture: string;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date | null;
  updated_by: string | null;
  deleted_at?: Date | null;
}

export interface CredentialRow {
  user_id: string;
  secret_hash: string;
  updated_at: Date;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true },
    first_name: { type: 'text' },
    last_name: { type: 'text' },
    email: { type: 'text' },
    username: { type: 'text' },
    role: { type: 'smallint' },
    status: { type: 'smallint' },
    tags: { type: 'text', array: true },
    metadata: { type: 'jsonb' },
    private_metadata: { type: 'jsonb', default: () => "'{}'::jsonb" },
    picture: { type: 'text' },
    verified_at: { type: 'timestamptz', nullable: true },
    created_at: { type: 'timestamptz' },
    updated_at: { type: 'timestamptz', nullable: true },
    updated_by: { type: 'uuid', nullable: true },
    deleted_at: { type: 'timestamptz', nullable: true },
  },
});

export const CredentialEntity = new EntitySchema<CredentialRow>({
  name: 'Credential',
  tableName: 'credentials',
  columns: {
    user_id: { type: 'uuid', primary: true },
    secret_hash: { type: 'text' },
    updated_at: { type: 'timestamptz' },
  },
});

export interface AuditRow {
  id: string;
  type: string;
  outcome: 'success' | 'failure';
  actor_id: string | null;
  target_id: string | null;
  ip: string;
  user_agent: string;
  occurred_at: Date;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jsonb: TypeORM's partial types need any here
  details: Record<string, any>;
}

export const AuditEntity = new EntitySchema<AuditRow>({
  name: 'Audit',
  tableName: 'audit_log',
  columns: {
    id: { type: 'uuid', primary: true },
    type: { type: 'text' },
    outcome: { type: 'text' },
    actor_id: { type: 'uuid', nullable: true },
    target_id: { type: 'uuid', nullable: true },
    ip: { type: 'text' },
    user_agent: { type: 'text' },
    occurred_at: { type: 'timestamptz' },
    details: { type: 'jsonb' },
  },
});

export interface LoginAttemptRow {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
}

export const LoginAttemptEntity = new EntitySchema<LoginAttemptRow>({
  name: 'LoginAttempt',
  tableName: 'login_attempts',
  columns: {
    key: { type: 'text', primary: true },
    failures: { type: 'integer' },
    window_started_at: { type: 'timestamptz' },
    locked_until: { type: 'timestamptz', nullable: true },
  },
});
