import { randomBytes } from 'crypto';
import { ConflictError } from '../errors';
import type { UsersRepository } from '../ports';
import type { Ctx, UsersService } from '../service';

export interface OwnerSettings {
  email: string;
  username: string;
  /** When unset a strong one is generated and handed to `announce` once. */
  password?: string;
}

/** The context of work Usher does on its own (startup, jobs): an owner acting from inside. */
export const SYSTEM_CTX: Ctx = {
  caller: { userId: '00000000-0000-0000-0000-000000000000', role: 'owner', sessionId: '', verified: true },
  client: { userAgent: 'usher', ip: '' },
};

/**
 * At startup: when no owner exists, create one from USHER_USERS_ADMIN_*. Replicas racing here are
 * fine: the loser hits the unique email and finds the owner made by the winner.
 */
export async function ensureOwner(
  repo: UsersRepository,
  service: UsersService,
  settings: OwnerSettings,
  announce: (generatedPassword: string) => void,
): Promise<'created' | 'exists'> {
  if ((await repo.countByRole('owner')) > 0) return 'exists';
  const generated = settings.password ? undefined : randomBytes(18).toString('base64url');
  try {
    const owner = await service.register(SYSTEM_CTX, {
      firstName: '',
      lastName: '',
      email: settings.email,
      username: settings.username,
      secret: settings.password ?? generated!,
      role: 'owner',
      status: 'enabled',
      tags: [],
      metadata: {},
      picture: '',
    });
    // The configured owner's address is taken as verified: it must get in with unverified users refused.
    await repo.update({ ...owner, verifiedAt: new Date() }, ['verifiedAt']);
  } catch (error) {
    if (error instanceof ConflictError && (await repo.countByRole('owner')) > 0) return 'exists';
    throw error;
  }
  if (generated) announce(generated);
  return 'created';
}
