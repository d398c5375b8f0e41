import fs from 'fs';
import os from 'os';
import path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '../../..');

// README: after `pnpm install && pnpm start`, `pnpm usher <command>` works at the root, and
// `packages/cli/bin/usher` linked onto the PATH gives a plain `usher` from any folder.
describe('usher without ceremony', () => {
  it('`pnpm usher --help` at the repository root prints the CLI help and exits 0', () => {
    const run = spawnSync('pnpm', ['usher', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/ERR_PNPM|Missing script/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: usher [options] [command]');
    expect(run.stdout).toMatch(/^\s+login\b/m);
    expect(run.stdout).toMatch(/^\s+auth\b/m);
  });

  it('`pnpm usher auth --help` names the commands README uses', () => {
    const run = spawnSync('pnpm', ['-s', 'usher', 'auth', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const command of ['list-users', 'add-user', 'status'])
      expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('`usher` linked onto the PATH runs from any folder', () => {
    const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usher-path-'));
    try {
      fs.symlinkSync(path.join(ROOT, 'packages/cli/bin/usher'), path.join(binDir, 'usher'));
      const run = spawnSync('usher', ['--help'], {
        cwd: os.tmpdir(),
        encoding: 'utf8',
        env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` },
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('Usage: usher [options] [command]');
    } finally {
      fs.rmSync(binDir, { recursive: true, force: true });
    }
  });
});
