import { generateKeyPairSync, randomUUID } from 'crypto';
import jwt from 'jsonwebtoken';
import { api, OWNER, startAuthProcess, startUsers, type AuthProcess, type UsersInstance } from '../harness';

/** A syntactically valid bcrypt hash of the given cost (never compared here). */
const fakeHash = (cost: number) => `$2b$${String(cost).padStart(2, '0')}$${'A'.repeat(53)}`;

// Promises: a token the auth service cannot verify is 401, however often it is tried; an import
// cannot plant a bcrypt hash so costly that verifying it starves the service.
describe('security: guessing and slow paths', () => {
  let auth: AuthProcess;
  let users: UsersInstance;
  let http: ReturnType<typeof api>;
  let owner: string;

  beforeAll(async () => {
    auth = await startAuthProcess();
    // A deadline shorter than the auth service's key reload gap (1 s): the old code made a second
    // unknown kid wait for the gap, which ran into the deadline (503).
    users = await startUsers(auth.address, { USHER_AUTH_GRPC_TIMEOUT: '600ms' });
    http = api(users.url);
    owner = (await http.signIn(OWNER.username, OWNER.password)).access_token;
  }, 120_000);
  afterAll(async () => {
    await users?.stop();
    await auth?.stop();
  });

  it('an access token with an unknown kid is 401 on every try, also within the key reload gap', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const token = jwt.sign(
        { sub: randomUUID(), sid: randomUUID(), type: 'access', role: 'owner' },
        privateKey,
        {
          algorithm: 'ES256',
          keyid: `unknown-kid-${i}`,
          expiresIn: 60,
        },
      );
      const res = await http.get('/users/profile', token);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401]);
  }, 60_000);

  it('import refuses bcrypt hashes with a cost above 14, per row', async () => {
    const res = await http.post(
      '/users/import',
      {
        users: [
          { email: 'cost14@example.com', username: 'cost14', secret_hash: fakeHash(14) },
          { email: 'cost15@example.com', username: 'cost15', secret_hash: fakeHash(15) },
          { email: 'cost31@example.com', username: 'cost31', secret_hash: fakeHash(31) },
        ],
      },
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'created',
      'invalid',
      'invalid',
    ]);
    expect(res.body.results[1].message).toMatch(/secret_hash: bcrypt cost above 14/);
    expect(res.body.results[2].message).toMatch(/secret_hash: bcrypt cost above 14/);
  }, 60_000);
});
