import { execFileSync } from 'child_process';
import * as grpc from '@grpc/grpc-js';
import { generateClientSecret, hashClientSecret, type PermissionSet } from '@usher/config';
import { authServiceDefinition, CLIENT_ID_METADATA, CLIENT_SECRET_METADATA } from '@usher/contracts';
import { createTestDatabase, makePki, type Pki, type TestDatabase } from '@usher/testkit';
import { PERMISSIONS } from '../src/grpc/permissions';
import { healthCheck, startReplica, testConfig, type Replica } from './helpers';

// Issue 15 §1: every RPC of AuthService against every kind of caller, allow or deny per cell.
// One replica with mTLS (identity from the certificate), one without TLS (name + secret metadata).

/** A run-time PKI: the client CA, a foreign CA, and leaves with the given subject and SANs. */
function makeCallerPki(): Pki {
  const pki = makePki();
  pki.ca('usher-ca');
  pki.ca('other-ca');
  pki.leaf('server', 'usher-ca', 'server', undefined, 'auth');
  // the SAN URI names the caller even when the CN says otherwise
  pki.leaf('issuer', 'usher-ca', 'client', 'URI:spiffe://usher/users', 'not-the-name');
  pki.leaf('verifier', 'usher-ca', 'client', undefined, 'billing'); // no URI SAN: the CN names it
  pki.leaf('admin', 'usher-ca', 'client', 'URI:spiffe://cluster.local/ns/usher/sa/ops', 'whatever');
  pki.leaf('unknown', 'usher-ca', 'client', 'URI:spiffe://usher/stranger', 'stranger');
  pki.leaf('foreign', 'other-ca', 'client', 'URI:spiffe://usher/users', 'users'); // claims the issuer's name
  return pki;
}

const SETS: Record<string, PermissionSet[]> = { users: ['issuer'], billing: ['verifier'], ops: ['admin'] };
const SECRETS = {
  users: generateClientSecret(),
  billing: generateClientSecret(),
  ops: generateClientSecret(),
};

interface CallerKind {
  name: string;
  tls: boolean;
  /** The permission set the caller holds, or the status every AuthService call must get. */
  expect: PermissionSet | grpc.status.UNAUTHENTICATED;
  creds: () => grpc.ChannelCredentials;
  metadata: () => grpc.Metadata;
}

const meta = (id?: string, secret?: string) => {
  const m = new grpc.Metadata();
  if (id) m.set(CLIENT_ID_METADATA, id);
  if (secret) m.set(CLIENT_SECRET_METADATA, secret);
  return m;
};

function callerKinds(read: (f: string) => Buffer): CallerKind[] {
  const cert = (leaf?: string) => () =>
    grpc.credentials.createSsl(
      read('usher-ca.crt'),
      leaf ? read(`${leaf}.key`) : null,
      leaf ? read(`${leaf}.crt`) : null,
    );
  const plain = () => grpc.credentials.createInsecure();
  const U = grpc.status.UNAUTHENTICATED;
  return [
    {
      name: 'issuer certificate',
      tls: true,
      expect: 'issuer',
      creds: cert('issuer'),
      metadata: () => meta(),
    },
    {
      name: 'verifier certificate',
      tls: true,
      expect: 'verifier',
      creds: cert('verifier'),
      metadata: () => meta(),
    },
    { name: 'admin certificate', tls: true, expect: 'admin', creds: cert('admin'), metadata: () => meta() },
    { name: 'unknown certificate', tls: true, expect: U, creds: cert('unknown'), metadata: () => meta() },
    // a valid secret does not stand in for a certificate once mTLS is on
    {
      name: 'no certificate',
      tls: true,
      expect: U,
      creds: cert(),
      metadata: () => meta('users', SECRETS.users),
    },
    { name: 'foreign-CA certificate', tls: true, expect: U, creds: cert('foreign'), metadata: () => meta() },
    {
      name: 'issuer secret',
      tls: false,
      expect: 'issuer',
      creds: plain,
      metadata: () => meta('users', SECRETS.users),
    },
    {
      name: 'verifier secret',
      tls: false,
      expect: 'verifier',
      creds: plain,
      metadata: () => meta('billing', SECRETS.billing),
    },
    {
      name: 'admin secret',
      tls: false,
      expect: 'admin',
      creds: plain,
      metadata: () => meta('ops', SECRETS.ops),
    },
    {
      name: 'unknown name',
      tls: false,
      expect: U,
      creds: plain,
      metadata: () => meta('stranger', SECRETS.users),
    },
    {
      name: 'wrong secret',
      tls: false,
      expect: U,
      creds: plain,
      metadata: () => meta('users', SECRETS.billing),
    },
    { name: 'no secret', tls: false, expect: U, creds: plain, metadata: () => meta('users') },
    { name: 'no name at all', tls: false, expect: U, creds: plain, metadata: () => meta() },
  ];
}

const SNI = { 'grpc.ssl_target_name_override': 'localhost' };

/** Calls `method` with an empty request; resolves with the status (OK on success or first message). */
function callOnce(
  port: number,
  kind: CallerKind,
  method: string,
): Promise<{ code: grpc.status; details: string }> {
  const def = authServiceDefinition() as unknown as Record<string, grpc.MethodDefinition<object, object>>;
  const m = def[method]!;
  const client = new grpc.Client(`127.0.0.1:${port}`, kind.creds(), kind.tls ? SNI : {});
  const options = { deadline: Date.now() + 10_000 };
  return new Promise<{ code: grpc.status; details: string }>((resolve) => {
    const done = (code: grpc.status, details: string) => {
      client.close();
      resolve({ code, details });
    };
    if (!m.responseStream) {
      client.makeUnaryRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        {},
        kind.metadata(),
        options,
        (err) => (err ? done(err.code, err.details) : done(grpc.status.OK, '')),
      );
      return;
    }
    const stream = client.makeServerStreamRequest(
      m.path,
      m.requestSerialize,
      m.responseDeserialize,
      {},
      kind.metadata(),
      options,
    );
    // an admitted stream sends headers (or a first message) before anything else
    stream.on('metadata', () => (stream.cancel(), done(grpc.status.OK, 'stream opened')));
    stream.on('data', () => (stream.cancel(), done(grpc.status.OK, 'stream data')));
    stream.on('error', (err: grpc.ServiceError) => done(err.code, err.details));
  });
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

(hasOpenssl ? describe : describe.skip)('AuthService callers: every RPC x every caller kind', () => {
  let db: TestDatabase;
  let pki: Pki;
  let kinds: CallerKind[];
  let mtls: Replica;
  let plain: Replica;
  const methods = Object.keys(authServiceDefinition());

  beforeAll(async () => {
    db = await createTestDatabase('authcallers');
    pki = makeCallerPki();
    kinds = callerKinds((f) => pki.read(f));
    const base = testConfig(db.url);
    const clients = new Map(Object.entries(SETS));
    const secretHashes = new Map(Object.entries(SECRETS).map(([n, s]) => [n, hashClientSecret(s)]));
    const tls = {
      cert: pki.file('server.crt'),
      key: pki.file('server.key'),
      ca: pki.file('usher-ca.crt'),
    };
    mtls = await startReplica({ ...base, clients, clientSecrets: secretHashes, grpc: { ...base.grpc, tls } });
    plain = await startReplica({ ...base, clients, clientSecrets: secretHashes });
  }, 120_000);
  afterAll(async () => {
    await mtls?.stop();
    await plain?.stop();
    await db?.drop();
    pki?.remove();
  });

  it('puts every method of the service in a permission set (a new RPC must be placed deliberately)', () => {
    expect(methods.length).toBeGreaterThanOrEqual(12);
    const placed = new Set(Object.values(PERMISSIONS).flatMap((set) => [...set]));
    expect(methods.filter((m) => !placed.has(m))).toEqual([]);
  });

  it('allows exactly the permission set and refuses the rest, per cell', async () => {
    const cells: string[] = [];
    for (const kind of kinds) {
      const port = kind.tls ? mtls.handle.grpcPort : plain.handle.grpcPort;
      for (const method of methods) {
        const { code, details } = await callOnce(port, kind, method);
        const refusedByGate = /^caller /.test(details);
        let verdict: string;
        if (kind.expect === grpc.status.UNAUTHENTICATED) {
          verdict =
            code === grpc.status.UNAUTHENTICATED && details === 'caller not authenticated' ? 'ok' : 'WRONG';
        } else if (PERMISSIONS[kind.expect].has(method)) {
          verdict = refusedByGate ? 'WRONG' : 'ok'; // reached the handler: OK or its own validation error
        } else {
          verdict = code === grpc.status.PERMISSION_DENIED && refusedByGate ? 'ok' : 'WRONG';
        }
        cells.push(`${verdict} ${kind.name} ${method} -> ${grpc.status[code]} ${details}`);
      }
    }
    expect(cells.filter((c) => c.startsWith('WRONG'))).toEqual([]);
    expect(cells).toHaveLength(kinds.length * methods.length);
  }, 180_000);

  it('keeps grpc.health.v1 open to every caller', async () => {
    for (const kind of kinds) {
      const port = kind.tls ? mtls.handle.grpcPort : plain.handle.grpcPort;
      expect(await healthCheck(port, '', kind.creds(), kind.tls ? SNI : {})).toBe('SERVING');
    }
  }, 60_000);

  it('logs and counts each refusal with caller and method, never the secret', async () => {
    const kind = (name: string) => kinds.find((k) => k.name === name)!;
    await callOnce(plain.handle.grpcPort, kind('wrong secret'), 'Issue');
    await callOnce(plain.handle.grpcPort, kind('verifier secret'), 'Issue');
    await callOnce(mtls.handle.grpcPort, kind('admin certificate'), 'Authenticate');
    const refusals = [...plain.lines, ...mtls.lines].filter((l) => l.msg === 'auth gRPC call refused');
    expect(refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          caller: 'users',
          grpc_method: 'Issue',
          grpc_code: 'UNAUTHENTICATED',
          reason: 'wrong client secret',
        }),
        expect.objectContaining({ caller: 'billing', grpc_method: 'Issue', grpc_code: 'PERMISSION_DENIED' }),
        expect.objectContaining({
          caller: 'ops',
          grpc_method: 'Authenticate',
          grpc_code: 'PERMISSION_DENIED',
        }),
      ]),
    );
    const everything = JSON.stringify([...plain.lines, ...mtls.lines]);
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);

    const metrics = await (await fetch(`http://127.0.0.1:${plain.handle.httpPort}/metrics`)).text();
    const line = (labels: string) =>
      metrics
        .split('\n')
        .find((l) => l.startsWith('usher_auth_grpc_calls_refused_total{') && l.includes(labels));
    expect(line('code="PERMISSION_DENIED",method="Issue",caller="billing"')).toMatch(/ [1-9]\d*$/);
    expect(line('code="UNAUTHENTICATED",method="Issue",caller="unknown"')).toMatch(/ [1-9]\d*$/);
    expect(metrics).not.toContain('caller="stranger"'); // claimed names never become label values
  }, 60_000);
});
