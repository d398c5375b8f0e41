import { randomUUID } from 'crypto';
import { invalidCredentials, NotFoundError, ValidationError } from '../errors';
import type {
  Caller,
  ClientMeta,
  NewUser,
  PasswordHasher,
  TokenIssuer,
  TokenPair,
  User,
  UsersRepository,
  UsersService,
} from '../service';

export interface UsersOptions {
  /** USHER_USERS_PASS_REGEX */
  passRegex: RegExp;
  /** A hash of a random secret made with the live settings: unknown identities are compared against it. */
  dummyHash: string;
}

/** The plain users domain: no HTTP, no SQL, no authorization (see middleware/authorization.ts). */
export class Users implements UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenIssuer,
    private readonly options: UsersOptions,
  ) {}

  async register(caller: Caller | null, input: NewUser): Promise<User> {
    this.checkSecret(input.secret);
    const now = new Date();
    const user: User = {
      id: randomUUID(),
      firstName: input.firstName,
      lastName: input.lastName,
      email: input.email,
      username: input.username,
      role: input.role,
      status: input.status,
      tags: input.tags,
      metadata: input.metadata,
      picture: input.picture,
      verifiedAt: null,
      createdAt: now,
      updatedAt: null,
      updatedBy: caller?.userId ?? null,
    };
    return this.repo.create(user, await this.hasher.hash(input.secret));
  }

  async issueToken(identity: string, secret: string, client: ClientMeta): Promise<TokenPair> {
    const found = await this.repo.findCredentials(identity);
    // Unknown identities still pay for one bcrypt comparison so timing does not tell them apart.
    const ok = await this.hasher.compare(secret, found?.secretHash ?? this.options.dummyHash);
    if (!found || !ok || found.user.status !== 'enabled') throw invalidCredentials();
    if (this.hasher.needsRehash(found.secretHash)) {
      await this.repo.updateSecretHash(found.user.id, await this.hasher.hash(secret));
    }
    return this.tokens.issue(found.user, client, 'password');
  }

  refreshToken(refreshToken: string, client: ClientMeta): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken, client);
  }

  viewProfile(caller: Caller): Promise<User> {
    return this.view(caller, caller.userId);
  }

  async view(_caller: Caller, id: string): Promise<User> {
    const user = await this.repo.findById(id);
    if (!user) throw new NotFoundError('user not found');
    return user;
  }

  private checkSecret(secret: string) {
    // bcrypt reads only the first 72 bytes: a longer secret would silently be cut.
    if (Buffer.byteLength(secret) > 72)
      throw new ValidationError('must be at most 72 bytes', 'credentials.secret');
    if (!this.options.passRegex.test(secret)) {
      throw new ValidationError(
        `does not meet the password policy ${this.options.passRegex.source}`,
        'credentials.secret',
      );
    }
  }
}
