import fs from 'fs';
import os from 'os';
import path from 'path';
import { execFileSync } from 'child_process';

// Throwaway certificate authorities for the TLS tests, made by the openssl CLI at run time
// (P-256 keys, valid one day). Nothing here is ever reused outside one test file.

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface Pki {
  dir: string;
  /** Absolute path of a file in the PKI directory (e.g. `ca.crt`, `server.key`). */
  file(name: string): string;
  read(name: string): Buffer;
  /** A CA (`<name>.crt`, `<name>.key`). */
  ca(name: string): void;
  /** A leaf certificate `<name>.crt`/`<name>.key` signed by `ca`, for a server (with SANs) or a client. */
  /**
   * A leaf `<name>.crt`/`<name>.key` signed by `ca`: a server (SANs default to localhost and
   * 127.0.0.1) or a client (SANs such as `URI:spiffe://usher/users`, none by default), subject
   * `CN=<cn>` (default `usher-test-<name>`).
   */
  leaf(name: string, ca: string, usage: 'server' | 'client', sans?: string, cn?: string): void;
  remove(): void;
}

export function makePki(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    file,
    read: (name) => fs.readFileSync(file(name)),
    ca(name) {
      ssl(
        'req',
        '-x509',
        ...ec,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
      );
    },
    leaf(name, ca, usage, sans, cn = `usher-test-${name}`) {
      const altNames = sans ?? (usage === 'server' ? 'DNS:localhost,IP:127.0.0.1' : '');
      const ext =
        (altNames ? `subjectAltName=${altNames}\n` : '') +
        `extendedKeyUsage=${usage === 'server' ? 'serverAuth' : 'clientAuth'}\n`;
      fs.writeFileSync(file(`${name}.ext`), ext);
      ssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.crt`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
      );
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
