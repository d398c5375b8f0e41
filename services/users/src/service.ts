import type { RoleName } from '@usher/contracts';

export type UserStatus = 'enabled' | 'disabled' | 'deleted';
export const USER_STATUSES: readonly UserStatus[] = ['enabled', 'disabled', 'deleted'];

/** An account as the API shows it: never a secret. */
export interface User {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  role: RoleName;
  status: UserStatus;
  tags: string[];
  metadata: Record<string, unknown>;
  picture: string;
  verifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** Who is calling, as the auth service vouched for them. */
export interface Caller {
  userId: string;
  role: RoleName;
  sessionId: string;
  verified: boolean;
}

/** Where a request came from; recorded on sessions. */
export interface ClientMeta {
  userAgent: string;
  ip: string;
}

export interface NewUser {
  firstName: string;
  lastName: string;
  email: string;
  username: string;
  secret: string;
  role: RoleName;
  status: Exclude<UserStatus, 'deleted'>;
  tags: string[];
  metadata: Record<string, unknown>;
  picture: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  accessType: string;
}

/**
 * The users domain: met by the plain implementation (domain/users.ts) and by every decorator
 * around it (middleware/*).
 */
export interface UsersService {
  /** Creates an account. `caller` is null for self-registration. */
  register(caller: Caller | null, user: NewUser): Promise<User>;
  /** Checks identity (email or username) and secret, then starts a session. */
  issueToken(identity: string, secret: string, client: ClientMeta): Promise<TokenPair>;
  /** Rotates a refresh token into a new pair. */
  refreshToken(refreshToken: string, client: ClientMeta): Promise<TokenPair>;
  viewProfile(caller: Caller): Promise<User>;
  view(caller: Caller, id: string): Promise<User>;
}

/** Storage of accounts. Secrets live apart from the user rows and are read only to verify them. */
export interface UsersRepository {
  create(user: User, secretHash: string): Promise<User>;
  findById(id: string): Promise<User | null>;
  /** Looks an identity up as email or username, case-insensitively, with the stored hash. */
  findCredentials(identity: string): Promise<{ user: User; secretHash: string } | null>;
  updateSecretHash(id: string, secretHash: string): Promise<void>;
  countByRole(role: RoleName): Promise<number>;
}

export interface PasswordHasher {
  hash(secret: string): Promise<string>;
  compare(secret: string, hash: string): Promise<boolean>;
  /** True when the hash was made with other settings (e.g. a lower cost) and should be redone. */
  needsRehash(hash: string): boolean;
}

/** The part of the auth service the users domain uses. */
export interface TokenIssuer {
  issue(user: User, client: ClientMeta, method: string): Promise<TokenPair>;
  refresh(refreshToken: string, client: ClientMeta): Promise<TokenPair>;
}
