import net from 'net';
import { z } from 'zod';
import { roleFromProto, type RoleName } from '@usher/contracts';
import { ValidationError } from '../errors';
import type { ClientInfo } from '../service';

// Decoding of the proto messages into domain inputs. Failures name the field: INVALID_ARGUMENT.

export const MAX_TOKEN_LENGTH = 8192;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuid = z.string().regex(UUID, 'expected a UUID');
const optionalUuid = z
  .string()
  .default('')
  .transform((v) => v || undefined)
  .pipe(uuid.optional());
// empty stays empty: a missing credential is UNAUTHENTICATED, answered by the domain
const token = z
  .string()
  .default('')
  .refine((v) => v.length <= MAX_TOKEN_LENGTH, `longer than ${MAX_TOKEN_LENGTH} characters`);
const role = z.union([z.string(), z.number()]).transform((v, ctx): RoleName => {
  try {
    return roleFromProto(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: `unknown role ${String(v)}` });
    return z.NEVER;
  }
});
const reason = z.string().max(200, 'longer than 200 characters').default('');
const client = z
  .object({
    user_agent: z.string().default(''),
    ip: z
      .string()
      .default('')
      .refine((v) => v === '' || net.isIP(v) !== 0, 'expected an IP address'),
  })
  .nullish()
  .transform((c): ClientInfo => ({ userAgent: (c?.user_agent ?? '').slice(0, 512), ip: c?.ip ?? '' }));

export const IssueRequest = z.object({
  user_id: uuid,
  role,
  verified: z.boolean().default(false),
  client,
  method: z
    .string()
    .default('')
    .transform((v) => v || 'unknown')
    .pipe(
      z
        .string()
        .max(64, 'longer than 64 characters')
        .regex(/^[a-z0-9_.:-]+$/i, 'expected letters, digits, _ . : -'),
    ),
});

export const RefreshRequest = z.object({ refresh_token: token, client });
export const AuthenticateRequest = z.object({ token });
export const AuthorizeRequest = z.object({ token, min_role: role });
export const RevokeSessionRequest = z.object({ session_id: uuid, user_id: optionalUuid, reason });
export const RevokeUserSessionsRequest = z.object({
  user_id: uuid,
  except_session_id: optionalUuid,
  reason,
  include_api_keys: z.boolean().default(false),
});
export const ListSessionsRequest = z.object({ user_id: uuid });
export const CreateApiKeyRequest = z.object({
  user_id: uuid,
  role,
  name: z
    .string()
    .default('')
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, 'required')
        .refine((v) => Array.from(v).length <= 100, 'longer than 100 characters')
        .regex(/^[^\p{Cc}]+$/u, 'control characters are not allowed'),
    ),
  // the lifetime bounds are the domain's (ValidationError from there)
  expires_in_seconds: z.number().int('expected whole seconds').default(0),
  verified: z.boolean().default(false),
});
export const ListApiKeysRequest = z.object({ user_id: uuid });
export const RevokeApiKeyRequest = z.object({ id: uuid, user_id: uuid, reason });

/** zod parse whose failure is a ValidationError naming the first bad field. */
export function decode<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'request';
  throw new ValidationError(field, issue?.message ?? 'invalid');
}
