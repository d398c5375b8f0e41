import { z } from 'zod';
import { ROLE_NAMES, roleName, type RoleName } from '@usher/contracts';

/** A type error reads "is required" when the field is missing, else what it must be. */
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

const name = z.string(expected('a string')).trim().max(1024, 'must be at most 1024 characters');

/** A role by name ("admin") or by level (2). */
export const Role = z.union([
  z.enum(ROLE_NAMES, { error: `must be one of ${ROLE_NAMES.join(', ')}` }),
  z
    .number()
    .int()
    .min(0, 'must be a role name or 0-3')
    .max(3, 'must be a role name or 0-3')
    .transform((n) => roleName(n)),
]) as z.ZodType<RoleName>;

const CreatableStatus = z.union([
  z.enum(['enabled', 'disabled'], { error: 'must be enabled or disabled' }),
  z
    .number()
    .int()
    .min(0, 'must be enabled or disabled')
    .max(1, 'must be enabled or disabled')
    .transform((n) => (n === 0 ? 'enabled' : 'disabled') as 'enabled' | 'disabled'),
]);

export const Username = z
  .string({ error: 'is required' })
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'may hold letters, digits, dot, dash and underscore, starting with a letter or digit',
  );

export const Email = z
  .string({ error: 'is required' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be a valid email address' }));

export const RegisterBody = z.object({
  first_name: name.default(''),
  last_name: name.default(''),
  email: Email,
  credentials: z.object(
    {
      username: Username,
      secret: z.string(expected('a string')).min(1, 'is required'),
    },
    expected('an object'),
  ),
  role: Role.default('viewer'),
  status: CreatableStatus.default('enabled'),
  tags: z
    .array(z.string().max(256, 'must be at most 256 characters'), { error: 'must be a list of strings' })
    .max(64, 'at most 64 tags')
    .default([]),
  metadata: z.record(z.string(), z.unknown(), expected('a JSON object')).default({}),
  picture: z.string(expected('a string')).max(2048, 'must be at most 2048 characters').default(''),
});

export const IssueTokenBody = z.object({
  identity: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(254, 'must be at most 254 characters'),
  secret: z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .max(1024, 'must be at most 1024 characters'),
});

export const UserId = z.uuid({ error: 'must be a UUID' });
