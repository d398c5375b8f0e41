import fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import type { TlsFiles } from '@usher/config';

/**
 * Plaintext unless a server cert and key are configured; with client CA certs, clients must present
 * a certificate signed by one of them (mTLS).
 */
export function serverCredentials(tls: TlsFiles): grpc.ServerCredentials {
  if (!tls.cert && !tls.key) {
    if (tls.ca)
      throw new Error('USHER_AUTH_GRPC_CLIENT_CA_CERTS needs USHER_AUTH_GRPC_SERVER_CERT and _SERVER_KEY');
    return grpc.ServerCredentials.createInsecure();
  }
  if (!tls.cert || !tls.key) {
    throw new Error('USHER_AUTH_GRPC_SERVER_CERT and USHER_AUTH_GRPC_SERVER_KEY must be set together');
  }
  const pair = { cert_chain: fs.readFileSync(tls.cert), private_key: fs.readFileSync(tls.key) };
  const ca = tls.ca ? fs.readFileSync(tls.ca) : null;
  return grpc.ServerCredentials.createSsl(ca, [pair], ca !== null);
}
