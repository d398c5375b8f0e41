import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseKek } from '@usher/config';
import { ensureKeyEncryptionKey } from './secrets';

describe('development key-encryption key', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-kek-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated once (32 bytes, owner-only file) and the same on every later start', () => {
    const first = ensureKeyEncryptionKey(path.join(dir, '.usher'));
    expect(parseKek(first)).toHaveLength(32);
    const file = path.join(dir, '.usher', 'auth-kek');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureKeyEncryptionKey(path.join(dir, '.usher'))).toBe(first);
  });

  it('keeps a key the operator put there', () => {
    const mine = Buffer.alloc(32, 7).toString('hex');
    fs.writeFileSync(path.join(dir, 'auth-kek'), mine + '\n');
    expect(ensureKeyEncryptionKey(dir)).toBe(mine);
  });
});
