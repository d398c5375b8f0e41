import { validateResponse } from './openapi';

// Magistrala's Go SDK (absmach/magistrala pkg/sdk at 19ed0de7887d) as it talks HTTP: its structs
// as encoding/json writes them, its page metadata as PageMetadata.query() encodes it, and
// processRequest's headers. Used by magistrala-sdk.test.ts.

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** sdk.User as json.Marshal writes it. */
export interface GoUser {
  ID?: string;
  FirstName?: string;
  LastName?: string;
  Email?: string;
  Credentials?: { Username?: string; Secret?: string };
  Tags?: string[];
  Metadata?: Record<string, unknown>;
  PrivateMetadata?: Record<string, unknown>;
  CreatedAt?: string;
  UpdatedAt?: string;
  Status?: string;
  Role?: string;
  ProfilePicture?: string;
  AuthProvider?: string;
}

const omitEmpty = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) =>
        v !== undefined &&
        v !== '' &&
        !(Array.isArray(v) && v.length === 0) &&
        !(v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0),
    ),
  );

export function marshalUser(u: GoUser): string {
  return JSON.stringify({
    id: u.ID ?? '', // `json:"id"`: no omitempty
    ...omitEmpty({ first_name: u.FirstName, last_name: u.LastName, email: u.Email }),
    credentials: omitEmpty({ username: u.Credentials?.Username, secret: u.Credentials?.Secret }),
    ...omitEmpty({ tags: u.Tags, metadata: u.Metadata, private_metadata: u.PrivateMetadata }),
    created_at: u.CreatedAt ?? GO_ZERO_TIME, // omitempty never drops a struct
    updated_at: u.UpdatedAt ?? GO_ZERO_TIME,
    ...omitEmpty({
      status: u.Status,
      role: u.Role,
      profile_picture: u.ProfilePicture,
      auth_provider: u.AuthProvider,
    }),
  });
}

/** PageMetadata.query(): url.Values.Encode() sorts the keys; with_attributes and with_metadata always go. */
export function pageQuery(pm: {
  Offset?: number;
  Limit?: number;
  Order?: string;
  Direction?: string;
  Email?: string;
  Username?: string;
  FirstName?: string;
  ID?: string;
  Status?: string;
  Metadata?: Record<string, unknown>;
  Tags?: { Elements: string[]; Operator: 'or' | 'and' };
}): string {
  const q = new URLSearchParams();
  if (pm.Offset) q.append('offset', String(pm.Offset));
  if (pm.Limit) q.append('limit', String(pm.Limit));
  if (pm.Order) q.append('order', pm.Order);
  if (pm.Direction) q.append('dir', pm.Direction);
  if (pm.Email) q.append('email', pm.Email);
  if (pm.Username) q.append('username', pm.Username);
  if (pm.FirstName) q.append('first_name', pm.FirstName);
  if (pm.ID) q.append('id', pm.ID);
  if (pm.Status) q.append('status', pm.Status);
  if (pm.Metadata) q.append('metadata', JSON.stringify(pm.Metadata));
  if (pm.Tags?.Elements.length)
    q.append('tags', pm.Tags.Elements.join(pm.Tags.Operator === 'and' ? '-' : ','));
  q.append('with_attributes', 'false');
  q.append('with_metadata', 'false');
  q.sort();
  // Go's Encode writes spaces as "+", as URLSearchParams does.
  return q.toString();
}

/** sdk.processRequest: the exact headers, the body as given, the answer checked against openapi.yaml. */
export async function sdkRequest(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: string,
  headers: Record<string, string> = {},
) {
  const h: Record<string, string> = { 'Content-Type': 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers: h, body });
  const text = await res.text();
  validateResponse(method, path, res.status, res.headers, text);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field below
  return { status: res.status, text, json: (text ? JSON.parse(text) : undefined) as any };
}

/** Decoding into sdk.User: every present field has the JSON type of its Go field. */
export function expectDecodesAsUser(u: Record<string, unknown>) {
  const types: Record<string, string> = {
    id: 'string',
    first_name: 'string',
    last_name: 'string',
    email: 'string',
    status: 'string',
    role: 'string',
    profile_picture: 'string',
    auth_provider: 'string',
    created_at: 'string',
    updated_at: 'string',
  };
  for (const [k, t] of Object.entries(types)) if (k in u) expect({ [k]: typeof u[k] }).toEqual({ [k]: t });
  expect(typeof u.credentials).toBe('object');
  const creds = u.credentials as Record<string, unknown>;
  if ('username' in creds) expect(typeof creds.username).toBe('string');
  for (const k of ['metadata', 'private_metadata'])
    if (k in u) expect(u[k] !== null && typeof u[k] === 'object' && !Array.isArray(u[k])).toBe(true);
  if ('tags' in u)
    expect(Array.isArray(u.tags) && (u.tags as unknown[]).every((t) => typeof t === 'string')).toBe(true);
  for (const k of ['created_at', 'updated_at'])
    if (k in u) expect(Number.isNaN(Date.parse(u[k] as string))).toBe(false); // time.Time: RFC 3339
  // No secret, ever.
  expect(creds.secret).toBeUndefined();
}

export function expectDecodesAsUsersPage(p: Record<string, unknown>) {
  for (const k of ['total', 'offset', 'limit']) {
    expect(Number.isInteger(p[k]) && (p[k] as number) >= 0).toBe(true); // uint64
  }
  expect(Array.isArray(p.users)).toBe(true);
  for (const u of p.users as Record<string, unknown>[]) expectDecodesAsUser(u);
}

export function expectDecodesAsToken(t: Record<string, unknown>) {
  expect(typeof t.access_token).toBe('string');
  expect(typeof t.refresh_token).toBe('string');
  expect(typeof t.access_type).toBe('string');
}
