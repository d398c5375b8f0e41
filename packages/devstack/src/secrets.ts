import crypto from 'crypto';
import fs from 'fs';
import path from 'path';

/**
 * The development key-encryption key of the launched auth service: read from `<dataDir>/auth-kek`,
 * created there (32 random bytes, base64, mode 0600) on the first start. Persisted so signing keys
 * sealed under it open again on the next start. Production sets USHER_AUTH_KEY_ENCRYPTION_KEY itself.
 */
export function ensureKeyEncryptionKey(dataDir: string): string {
  const file = path.join(dataDir, 'auth-kek');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const kek = crypto.randomBytes(32).toString('base64');
  try {
    // wx: two launchers starting together keep the first file
    fs.writeFileSync(file, kek + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return fs.readFileSync(file, 'utf8').trim();
  }
  return kek;
}
