import fs from 'fs';
import * as grpc from '@grpc/grpc-js';
import type { TlsFiles } from '@usher/config';

type CertificateProvider = grpc.experimental.CertificateProvider;

/** The server's certificate and the client CA, read once at start, handed over as grpc-js asks. */
class StaticCertificates implements CertificateProvider {
  constructor(
    private readonly ca: Buffer | null,
    private readonly identity: { certificate: Buffer; privateKey: Buffer } | null,
  ) {}
  // asynchronously, like grpc-js's own file watcher: the server registers its watcher only after
  // adding these listeners, and would miss an update delivered at once
  addCaCertificateListener(listener: grpc.experimental.CaCertificateUpdateListener): void {
    setImmediate(() => listener(this.ca ? { caCertificate: this.ca } : null));
  }
  removeCaCertificateListener(): void {}
  addIdentityCertificateListener(listener: grpc.experimental.IdentityCertificateUpdateListener): void {
    setImmediate(() => listener(this.identity));
  }
  removeIdentityCertificateListener(): void {}
}

/**
 * Plaintext unless a server cert and key are configured. With client CA certs, clients are asked
 * for a certificate, but the handshake does not reject one that is missing or signed by another CA:
 * such a call then carries no verified certificate and the caller interceptor answers
 * UNAUTHENTICATED (a clear status, logged and counted, instead of a dropped connection).
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
  const certificate = fs.readFileSync(tls.cert);
  const privateKey = fs.readFileSync(tls.key);
  if (!tls.ca)
    return grpc.ServerCredentials.createSsl(null, [{ cert_chain: certificate, private_key: privateKey }]);
  // one provider in both places: grpc-js 1.14 swaps the two arguments on the way to its constructor
  const certificates = new StaticCertificates(fs.readFileSync(tls.ca), { certificate, privateKey });
  return grpc.experimental.createCertificateProviderServerCredentials(certificates, certificates, false);
}
