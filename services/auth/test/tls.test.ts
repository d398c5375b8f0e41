import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFileSync } from 'child_process';
import * as grpc from '@grpc/grpc-js';
import { newAuthServiceClient } from '@usher/contracts';
import { createTestDatabase, type TestDatabase } from '@usher/testkit';
import { codeOf, healthCheck, issueFor, rpc, startReplica, testConfig, type Replica } from './helpers';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway CA with a server cert (127.0.0.1, localhost) and a client cert, made by the openssl CLI. */
function makeCerts(dir: string) {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=usher-test-ca',
  );
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext + '\n');
    ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=usher-test-${name}`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
  const file = (f: string) => path.join(dir, f);
  const read = (f: string) => fs.readFileSync(file(f));
  return { file, read };
}

const openssl = hasOpenssl();
if (!openssl) console.warn('skipping mTLS tests: the openssl CLI is not installed');

(openssl ? describe : describe.skip)('gRPC over mTLS', () => {
  let db: TestDatabase;
  let dir: string;
  let auth: Replica;
  let certs: ReturnType<typeof makeCerts>;

  beforeAll(async () => {
    db = await createTestDatabase('authtls');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-auth-tls-'));
    certs = makeCerts(dir);
    const tls = { cert: certs.file('server.crt'), key: certs.file('server.key'), ca: certs.file('ca.crt') };
    const config = testConfig(db.url);
    const clients = new Map([...config.clients, ['usher-test-client', ['issuer'] as const]]);
    auth = await startReplica({ ...config, clients, grpc: { ...config.grpc, tls } });
  });
  afterAll(async () => {
    await auth?.stop();
    await db?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  // the server cert names 127.0.0.1 too, but TLS SNI must be a host name (RFC 6066)
  const sni = { 'grpc.ssl_target_name_override': 'localhost' };
  const client = (creds: grpc.ChannelCredentials) =>
    rpc(newAuthServiceClient(`127.0.0.1:${auth.handle.grpcPort}`, creds, sni));

  it('serves a client presenting a certificate signed by the client CA', async () => {
    const creds = grpc.credentials.createSsl(
      certs.read('ca.crt'),
      certs.read('client.key'),
      certs.read('client.crt'),
    );
    const c = client(creds);
    try {
      const pair = await issueFor(c);
      await expect(c.authenticate(pair.access_token)).resolves.toMatchObject({ session_id: pair.session_id });
      expect(await healthCheck(auth.handle.grpcPort, '', creds, sni)).toBe('SERVING');
    } finally {
      c.client.close();
    }
  });

  it('refuses a TLS client without a certificate (UNAUTHENTICATED), and a plaintext one', async () => {
    const noCert = client(grpc.credentials.createSsl(certs.read('ca.crt')));
    const plain = client(grpc.credentials.createInsecure());
    try {
      expect(await codeOf(noCert.jwks())).toBe(grpc.status.UNAUTHENTICATED);
      expect(await codeOf(plain.jwks())).toBe(grpc.status.UNAVAILABLE);
    } finally {
      noCert.client.close();
      plain.client.close();
    }
  });
});
