import { z } from 'zod';
import { ValidationError } from '../errors';
import type { ReadOnlyEcho } from '../service';

// What Magistrala's Go SDK sends beyond Usher's own shapes (pkg/sdk at absmach/magistrala 19ed0de7887d):
// it marshals its whole `User` struct (zero values included) and its whole page metadata.

/** Go's `time.Time{}` as encoding/json writes it: a date nobody set. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** A date a client sent back: absent or Go's zero time means "not sent"; anything else must parse. */
export const echoedDate = z
  .string({ error: 'must be a date-time (RFC 3339)' })
  .refine(
    (v) => v === '' || v === GO_ZERO_TIME || !Number.isNaN(Date.parse(v)),
    'must be a date-time (RFC 3339)',
  )
  .transform((v) => (v === '' || v === GO_ZERO_TIME ? undefined : new Date(v).toISOString()))
  .optional();

/** A read-only text field sent back: empty means "not sent". */
export const echoedText = z
  .string({ error: 'must be a string' })
  .max(1024, 'must be at most 1024 characters')
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Fields the SDK always sends that Usher never stores: accepted only empty. */
export const emptyOnly = (what: string) =>
  z
    .string({ error: 'must be a string' })
    .max(0, `is not stored by Usher: leave it out or empty (${what})`)
    .optional();

/** Drops the keys whose value is undefined, so an all-empty echo is no echo. */
export function compactEcho(echo: ReadOnlyEcho): ReadOnlyEcho | undefined {
  const kept = Object.entries(echo).filter(([, v]) => v !== undefined);
  return kept.length ? (Object.fromEntries(kept) as ReadOnlyEcho) : undefined;
}

/** On create nothing is stored yet: any read-only value that is not empty is a real attempt. */
export function refuseOnCreate(echo: ReadOnlyEcho): void {
  const field = Object.keys(compactEcho(echo) ?? {})[0];
  if (field) throw new ValidationError('is set by the server: leave it out or empty', field);
}

/**
 * Magistrala's `tags` query: `a,b` matches users with any of the tags, `a+b` (the `+` sent
 * percent-encoded, %2B) users with all of them, a single tag users that have it.
 */
export const tagsQuery = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .transform((v) => {
    const all = v.includes('+');
    const tags = v
      .split(all ? '+' : ',')
      .map((t) => t.trim())
      .filter(Boolean);
    return { tags, match: all ? ('all' as const) : ('any' as const) };
  })
  .refine((t) => t.tags.length > 0, 'must list at least one tag: a,b for any of them, a+b for all')
  .optional();

/** Query parameters the SDK puts on every page request; they select nothing here. */
export const sdkPageExtras = {
  with_attributes: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  with_metadata: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  total: z.string().regex(/^\d+$/, 'must be a whole number').optional(),
};

/** Magistrala's partial id (and username) search: at least 3 characters. */
export const partialText = z
  .string()
  .trim()
  .min(3, 'search query must be at least 3 characters')
  .max(254, 'must be at most 254 characters')
  .optional();

const identityField = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(254, 'must be at most 254 characters');
const secretField = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .max(1024, 'must be at most 1024 characters');

const UsherLogin = z.object({ identity: identityField, secret: secretField });
/** Magistrala's `Login`: `username` is a username or an email address, as `identity`. */
const MagistralaLogin = z
  .object({
    username: identityField,
    password: secretField,
    description: z
      .string({ error: 'must be a string' })
      .max(256, 'must be at most 256 characters')
      .optional(),
  })
  .transform((m) => ({ identity: m.username, secret: m.password }));

/** `{identity, secret}`, or Magistrala's `{username, password, description}`; errors name the fields sent. */
export const IssueTokenBody = z.unknown().transform((body, ctx): { identity: string; secret: string } => {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const magistrala =
    b.identity === undefined && b.secret === undefined && ('username' in b || 'password' in b);
  const parsed = (magistrala ? MagistralaLogin : UsherLogin).safeParse(body);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});
