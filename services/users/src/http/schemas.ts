import { z } from 'zod';
import { parseDuration } from '@usher/config';
import { ROLE_NAMES, roleName, type RoleName } from '@usher/contracts';
import { AUDIT_TYPES, ORDER_FIELDS } from '../service';
import { echoedDate, echoedText, emptyOnly, partialText, sdkPageExtras, tagsQuery } from './magistrala';

/** A type error reads "is required" when the field is missing, else what it must be. */
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

const name = z.string(expected('a string')).trim().max(1024, 'must be at most 1024 characters');

const ROLE_INPUTS = [...ROLE_NAMES, 'user'] as const;

/** A role by name ("admin"; Magistrala's "user" is the viewer) or by level (2). */
export const Role = z.union([
  z
    .enum(ROLE_INPUTS, { error: `must be one of ${ROLE_INPUTS.join(', ')}` })
    .transform((r): RoleName => (r === 'user' ? 'viewer' : r)),
  z
    .number()
    .int()
    .min(0, 'must be a role name or 0-3')
    .max(3, 'must be a role name or 0-3')
    .transform((n) => roleName(n)),
]) as z.ZodType<RoleName>;

export const CreatableStatus = z.union([
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

const metadataField = z.record(z.string(), z.unknown(), expected('a JSON object'));
const pictureField = z.string(expected('a string')).max(2048, 'must be at most 2048 characters');

/** Read-only fields of a whole Magistrala `User` sent back: see ReadOnlyEcho. */
const echoFields = {
  id: echoedText,
  created_at: echoedDate,
  updated_at: echoedDate,
  auth_provider: emptyOnly('accounts made through a provider are listed under /users/identities'),
};

export const RegisterBody = z.object({
  ...echoFields,
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
  metadata: metadataField.default({}),
  private_metadata: metadataField.default({}),
  profile_picture: pictureField.optional(),
  /** Usher's former name of profile_picture, still accepted. */
  picture: pictureField.optional(),
});

export { IssueTokenBody } from './magistrala';

export const UserId = z.uuid({ error: 'must be a UUID' });

export const IdParam = z.object({ id: UserId });

// Query strings arrive as text: numbers and JSON are parsed here, and every bad value is a 400.
const intParam = (def: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(
      z.number().min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`),
    )
    .optional()
    .transform((v) => v ?? def);

const dateParam = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date or date-time (ISO 8601)')
  .transform((v) => new Date(v))
  .optional();

const textParam = z.string().max(254, 'must be at most 254 characters').optional();

const boolParam = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true' || v === '1');

const jsonObjectParam = z
  .string()
  .transform((v, ctx) => {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
    return z.NEVER;
  })
  .optional();

export const ListQueryParams = z.strictObject(
  {
    offset: intParam(0, 0, 1_000_000_000),
    limit: intParam(10, 1, 100),
    status: z
      .enum(['enabled', 'disabled', 'deleted', 'all'], { error: 'must be enabled, disabled, deleted or all' })
      .default('enabled'),
    email: textParam,
    username: textParam,
    first_name: textParam,
    last_name: textParam,
    id: partialText,
    tags: tagsQuery,
    metadata: jsonObjectParam,
    role: z
      .enum(ROLE_INPUTS, { error: `must be one of ${ROLE_INPUTS.join(', ')}` })
      .transform((r): RoleName => (r === 'user' ? 'viewer' : r))
      .optional(),
    order: z.enum(ORDER_FIELDS, { error: `must be one of ${ORDER_FIELDS.join(', ')}` }).default('created_at'),
    dir: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc'),
    created_from: dateParam,
    created_to: dateParam,
    only_total: boolParam,
    ...sdkPageExtras,
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined,
  },
);

const SEARCH_ORDER = ['username', 'first_name', 'last_name', 'created_at', 'updated_at'] as const;

export const SearchQueryParams = z
  .strictObject(
    {
      offset: intParam(0, 0, 1_000_000_000),
      limit: intParam(10, 1, 100),
      id: partialText,
      email: textParam,
      username: partialText,
      first_name: textParam,
      last_name: textParam,
      // No ordering by email: public searchers must not learn the order of addresses they cannot see.
      order: z.enum(SEARCH_ORDER, { error: `must be one of ${SEARCH_ORDER.join(', ')}` }).default('username'),
      dir: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc'),
      ...sdkPageExtras,
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined,
    },
  )
  .refine((q) => q.id || q.email || q.username || q.first_name || q.last_name, {
    message: 'give at least one of username, email, first_name, last_name, id',
  });

export const AuditQueryParams = z.strictObject(
  {
    since: dateParam,
    until: dateParam,
    type: z.enum(AUDIT_TYPES, { error: 'must be an audit event type' }).optional(),
    user_id: UserId.optional(),
    limit: intParam(10, 1, 100),
    offset: intParam(0, 0, 1_000_000_000),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined,
  },
);

const tagList = z
  .array(
    z.string(expected('a string')).max(256, 'must be at most 256 characters'),
    expected('a list of strings'),
  )
  .max(64, 'at most 64 tags');

/**
 * `PATCH /users/{id}`: the editable fields, plus the read-only ones Magistrala's SDK sends back with
 * them (its whole `User`): those are compared with the stored values by the domain.
 */
export const UpdateBody = z.strictObject(
  {
    first_name: name.optional(),
    last_name: name.optional(),
    metadata: metadataField.optional(),
    private_metadata: metadataField.optional(),
    tags: tagList.optional(),
    profile_picture: pictureField.optional(),
    picture: pictureField.optional(),
    ...echoFields,
    email: echoedText,
    credentials: z
      .strictObject(
        { username: echoedText, secret: emptyOnly('change it with PATCH /users/secret') },
        {
          error: (issue) =>
            issue.code === 'unrecognized_keys'
              ? `unknown field ${issue.keys.join(', ')}`
              : 'must be a JSON object',
        },
      )
      .optional(),
    role: z.union([z.literal(''), Role]).optional(),
    status: z.union([z.literal(''), CreatableStatus, z.literal('deleted')]).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : 'must be a JSON object',
  },
);

export const EmailBody = z.object(
  // `secret`: the current password, proof of presence when the last sign-in is older than 5 minutes.
  { email: Email, secret: z.string(expected('a string')).min(1, 'is required').max(1024).optional() },
  expected('a JSON object'),
);
export const UsernameBody = z.object({ username: Username }, expected('a JSON object'));
/** `{profile_picture}` (Magistrala's name), or `{picture}`. */
export const PictureBody = z
  .object(
    { profile_picture: pictureField.optional(), picture: pictureField.optional() },
    expected('a JSON object'),
  )
  .transform((b, ctx) => {
    const v = b.profile_picture ?? b.picture;
    if (v === undefined) ctx.addIssue({ code: 'custom', message: 'is required', path: ['profile_picture'] });
    return v ?? '';
  });
/** An omitted or empty list clears the tags (the SDK omits an empty list). */
export const TagsBody = z.object({ tags: tagList.optional().default([]) }, expected('a JSON object'));
/** Magistrala's `{token_id}`: the session to end; without it, the caller's own. */
export const RevokeTokenBody = z.object(
  { token_id: z.uuid({ error: 'must be a session id (UUID)' }).optional() },
  expected('a JSON object'),
);
export const RoleBody = z.object({ role: Role }, expected('a JSON object'));
export const SetSecretBody = z.object(
  { new_secret: z.string(expected('a string')).min(1, 'is required') },
  expected('a JSON object'),
);
export const ChangeSecretBody = z.object(
  {
    old_secret: z
      .string(expected('a string'))
      .min(1, 'is required')
      .max(1024, 'must be at most 1024 characters'),
    new_secret: z.string(expected('a string')).min(1, 'is required'),
  },
  expected('a JSON object'),
);

/** `expires_in`: seconds, or a duration such as "720h" / "30m". */
export const CreateKeyBody = z.object(
  {
    name: z
      .string(expected('a string'))
      .trim()
      .min(1, 'is required')
      .max(100, 'must be at most 100 characters'),
    expires_in: z
      .union(
        [
          z.number().int().positive(),
          z.string().regex(/^(\d+(ms|s|m|h))+$/, 'must be seconds or a duration such as 720h'),
        ],
        {
          error: 'must be seconds or a duration such as 720h',
        },
      )
      .optional()
      .transform((v) =>
        v === undefined ? 0 : typeof v === 'number' ? v : Math.floor((parseDuration(v) ?? 0) / 1000),
      )
      .pipe(z.number().max(365 * 24 * 3600, 'must be at most 365 days')),
  },
  expected('a JSON object'),
);

export const SessionParams = z.object({ id: z.uuid({ error: 'must be a UUID' }) });
export const KeyParams = z.object({ id: z.uuid({ error: 'must be a UUID' }) });

// Email flows.
const emailToken = z
  .string(expected('a string'))
  .min(1, 'is required')
  .max(256, 'must be at most 256 characters');
const password = z
  .string(expected('a string'))
  .min(1, 'is required')
  .max(1024, 'must be at most 1024 characters');

export const VerifyEmailQuery = z.strictObject(
  { token: emailToken },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined,
  },
);

/** `{email}`; a seed client's `host` is accepted and ignored: links go to USHER_PASSWORD_RESET_URL_PREFIX. */
export const ResetRequestBody = z.object({ email: Email }, expected('a JSON object'));

export const ResetPasswordBody = z
  .object({ token: emailToken, password, confirm_password: password }, expected('a JSON object'))
  .refine((b) => b.password === b.confirm_password, {
    message: 'must equal password',
    path: ['confirm_password'],
  });

export const InvitationBody = z.object(
  {
    email: Email,
    role: Role.default('viewer'),
    delivery: z.enum(['email', 'link'], { error: 'must be "email" or "link"' }).default('email'),
  },
  expected('a JSON object'),
);

export const AcceptInvitationBody = z.object(
  {
    token: emailToken,
    first_name: name.default(''),
    last_name: name.default(''),
    username: Username,
    password,
  },
  expected('a JSON object'),
);

export const PageParams = z.strictObject(
  { offset: intParam(0, 0, 1_000_000_000), limit: intParam(10, 1, 100) },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined,
  },
);

export const InvitationParams = z.object({ id: z.uuid({ error: 'must be a UUID' }) });

/** `DELETE /users/{id}?purge=true`: remove the row at once instead of after USHER_USERS_DELETE_AFTER. */
export const DeleteQuery = z.strictObject(
  { purge: boolParam },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown query parameter ${issue.keys.join(', ')}` : undefined,
  },
);
